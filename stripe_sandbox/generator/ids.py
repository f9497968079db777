"""Deterministic Stripe-looking ids: a prefix, then 24 base62 characters.

Like Stripe's, the ids of the sandbox sort roughly by creation time: after
a version digit come six characters of the simulated time (`now`, set by the
account's scheduler), then random characters from the seeded RNG. Besides
looking real, this keeps the store's inserts close to appends.
"""

from __future__ import annotations

import random
import string
import uuid

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_BYTE_TO_BASE62 = bytes(ord(BASE62[b % 62]) for b in range(256))
TIME_CHARS = 6  # three pairs of base62 digits
_PAIRS = [high + low for high in BASE62 for low in BASE62]  # two digits at a time


def time_stamp(now: int) -> str:
    """A version digit, then the last `TIME_CHARS` base62 digits of the time `now`."""
    high, rest = divmod(now % 3844**3, 3844**2)
    middle, low = divmod(rest, 3844)
    return "1" + _PAIRS[high] + _PAIRS[middle] + _PAIRS[low]


class IdMaker:
    """Makes `ch_…`-style ids from one seeded RNG and the simulated time."""

    def __init__(self, rng: random.Random) -> None:
        self._getrandbits = rng.getrandbits  # what `rng.randbytes` draws, without its frame
        self.now = 0  # simulated Unix time of the objects being made
        self._stamp = (-1, "")

    def token(self, length: int) -> str:
        """Random base62 characters (fingerprints, receipt paths, id tails)."""
        raw = self._getrandbits(length * 8).to_bytes(length, "little")
        return raw.translate(_BYTE_TO_BASE62).decode()

    def uuid4(self) -> str:
        """A version-4 UUID from the seeded RNG (how SDKs write idempotency keys)."""
        return str(uuid.UUID(bytes=self._getrandbits(128).to_bytes(16, "little"), version=4))

    def new(self, prefix: str, length: int = 24) -> str:
        if self._stamp[0] != self.now:
            self._stamp = (self.now, time_stamp(self.now))
        stamp = self._stamp[1]
        tail = length - len(stamp)  # `token(tail)`, inline: ids are made by the million
        raw = self._getrandbits(tail * 8).to_bytes(tail, "little")
        return prefix + stamp + raw.translate(_BYTE_TO_BASE62).decode()
