"""Deterministic Stripe-looking ids: a prefix and base62 characters from the seeded RNG."""

from __future__ import annotations

import random
import string

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


class IdMaker:
    """Makes `ch_…`-style ids (prefix + 24 base62 characters) from one seeded RNG."""

    def __init__(self, rng: random.Random) -> None:
        self._choices = rng.choices

    def new(self, prefix: str, length: int = 24) -> str:
        return prefix + "".join(self._choices(BASE62, k=length))

    def token(self, length: int) -> str:
        """Base62 characters without a prefix (fingerprints, receipt paths)."""
        return "".join(self._choices(BASE62, k=length))
