"""Currency conversion: deterministic daily exchange rates and settlement.

An account holds balances only in the currencies it settles in (its default
settlement currency first). A payment presented in any other currency is
converted at the day's rate: like Stripe's `exchange_rate`, the rate is
settlement currency per presentment currency in major units, so the
balance transaction's amount is `amount × exchange_rate`, between the two
currencies' minor units, rounded half up. Refunds and disputes of a
converted payment convert at the rate of their own day.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from stripe_sandbox.resources import ZERO_DECIMAL_CURRENCIES

DAY = 86_400
USD_PER_UNIT = {"usd": 1.0, "eur": 1.08, "gbp": 1.27, "jpy": 0.0067}  # mid-market, roughly


def minor_per_major(currency: str) -> int:
    return 1 if currency in ZERO_DECIMAL_CURRENCIES else 100


@dataclass
class Rates:
    """Daily mid-market rates: a slow yearly swing of a few percent plus daily noise."""

    seed: int
    _usd: dict[tuple[str, int], float] = field(default_factory=dict)

    def usd_per_unit(self, currency: str, t: int) -> float:
        """US dollars per major unit of `currency` on the day of t."""
        if currency == "usd":
            return 1.0
        day = t // DAY
        key = (currency, day)
        if key not in self._usd:
            phase = random.Random(f"{self.seed}:fx:{currency}").uniform(0, 2 * math.pi)
            noise = random.Random(f"{self.seed}:fx:{currency}:{day}").uniform(-0.004, 0.004)
            swing = 0.04 * math.sin(2 * math.pi * day / 365 + phase)
            self._usd[key] = USD_PER_UNIT[currency] * (1 + swing + noise)
        return self._usd[key]

    def rate(self, source: str, target: str, t: int) -> float:
        """Major units of `target` per major unit of `source` (6 significant digits)."""
        exact = self.usd_per_unit(source, t) / self.usd_per_unit(target, t)
        return float(f"{exact:.6g}")


def convert(amount: int, source: str, target: str, rate: float) -> int:
    """`amount` (minor units of source) in minor units of target, rounded half up."""
    value = abs(amount) * rate * minor_per_major(target) / minor_per_major(source)
    converted = math.floor(value + 0.5)
    return converted if amount >= 0 else -converted


@dataclass(frozen=True)
class Settlement:
    """Which currencies an account holds, and how a payment lands in one of them."""

    rates: Rates
    currencies: tuple[str, ...]  # settled currencies, the default one first

    def settle(self, t: int, amount: int, currency: str) -> tuple[int, str, float | None]:
        """(amount, currency, exchange_rate) of the balance transaction of a payment."""
        if currency in self.currencies:
            return amount, currency, None
        target = self.currencies[0]
        rate = self.rates.rate(currency, target, t)
        return convert(amount, currency, target, rate), target, rate
