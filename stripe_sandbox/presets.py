"""What a sandbox account looks like, as a frozen config, and the named presets.

A config says everything the generator needs: the same config gives the same
account file, byte for byte. `fingerprint()` names the cached file; bump
`version` whenever the generator's output changes, so stale caches are not
reused.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace

CLOCK_2026_11_15_NOON_UTC = 1794744000
"""The sandbox's "now": 2026-11-15T12:00:00Z. Never the wall clock."""


@dataclass(frozen=True)
class AccountConfig:
    """A synthetic Stripe account: its size, its span, its currencies and its seed.

    `charges_per_month` counts one-off card charges (direct payments); the
    subscription renewals of `customers` add invoice charges on top.
    `currencies` are the presentment currencies customers pay in. The account
    settles (and pays out) in `settlement_currency`, plus each currency of
    `multicurrency_settlement`; a charge in any other currency is converted
    to the settlement currency (its balance transaction has an `exchange_rate`).
    """

    seed: int = 42
    customers: int = 300
    months: int = 36
    charges_per_month: int = 200
    currencies: tuple[str, ...] = ("usd", "eur", "gbp", "jpy")
    settlement_currency: str = "usd"
    multicurrency_settlement: tuple[str, ...] = ()  # extra currencies settled as they are
    connected_accounts: int = 2
    clock: int = CLOCK_2026_11_15_NOON_UTC
    subscriber_share: float = 0.45  # share of customers that subscribe to a plan
    name: str = "custom"  # the preset name, stored as meta `preset`
    version: int = 9  # generator output version, part of the fingerprint

    @property
    def settled_currencies(self) -> tuple[str, ...]:
        """Currencies the account holds a balance in and pays out: settlement first."""
        extra = [c for c in self.multicurrency_settlement if c != self.settlement_currency]
        return (self.settlement_currency, *extra)

    def fingerprint(self) -> str:
        """A short stable hash of every field (the cache key of the account file)."""
        fields = asdict(self)
        text = ";".join(f"{key}={fields[key]!r}" for key in sorted(fields))
        return hashlib.sha256(text.encode()).hexdigest()[:12]


SMALL = AccountConfig(customers=60, months=4, charges_per_month=60, name="small")

PRESETS: dict[str, AccountConfig] = {
    "small": SMALL,
    "small_multicurrency": replace(
        SMALL, multicurrency_settlement=("eur",), name="small_multicurrency"
    ),
    "default": AccountConfig(customers=300, months=36, charges_per_month=200, name="default"),
    "large": AccountConfig(
        customers=20_000, months=36, charges_per_month=28_000, connected_accounts=3, name="large"
    ),
}
