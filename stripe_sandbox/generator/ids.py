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
TIME_CHARS = 6


def base62(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        chars.append(BASE62[digit])
    return "".join(reversed(chars))


class IdMaker:
    """Makes `ch_…`-style ids from one seeded RNG and the simulated time."""

    def __init__(self, rng: random.Random) -> None:
        self._randbytes = rng.randbytes
        self.now = 0  # simulated Unix time of the objects being made
        self._stamp = (-1, "")

    def token(self, length: int) -> str:
        """Random base62 characters (fingerprints, receipt paths, id tails)."""
        return self._randbytes(length).translate(_BYTE_TO_BASE62).decode()

    def uuid4(self) -> str:
        """A version-4 UUID from the seeded RNG (how SDKs write idempotency keys)."""
        return str(uuid.UUID(bytes=self._randbytes(16), version=4))

    def new(self, prefix: str, length: int = 24) -> str:
        if self._stamp[0] != self.now:
            self._stamp = (self.now, "1" + base62(self.now, TIME_CHARS))
        stamp = self._stamp[1]
        return prefix + stamp + self.token(length - len(stamp))
