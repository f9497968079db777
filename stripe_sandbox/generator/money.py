"""Money rules of the simulated account: amounts, Stripe fees, settlement dates.

Amounts are integers in the currency's minor unit; JPY is zero-decimal, so a
yen amount is whole yen (never x100) and its fee is a whole yen percentage
with no fixed part (Stripe Japan charges 3.6%). Fees are in the currency the
payment settles in; a converted payment pays a 1% conversion fee on top.
"""

from __future__ import annotations

import random

from stripe_sandbox.resources import ZERO_DECIMAL_CURRENCIES

DAY = 86_400
# Fees are charged in the settlement currency: per mille and fixed minor units.
CARD_FEE = {"usd": (29, 30), "eur": (29, 30), "gbp": (15, 20), "jpy": (36, 0)}
DISPUTE_FEE = {"usd": 1500, "eur": 1500, "gbp": 2000, "jpy": 2000}
CONVERSION_FEE_PER_MILLE = 10
SETTLEMENT_DAYS = 2  # charges become available two days after midnight of their day
PAYOUT_ARRIVAL_DAYS = 2


def midnight(t: int) -> int:
    return t - t % DAY


def card_fee(amount: int, currency: str) -> int:
    """Stripe's card processing fee, rounded half up to the minor unit."""
    per_mille, fixed = CARD_FEE.get(currency, CARD_FEE["usd"])
    return (amount * per_mille + 500) // 1000 + fixed


def charge_available_on(created: int) -> int:
    return midnight(created) + SETTLEMENT_DAYS * DAY


def is_business_day(t: int) -> bool:
    """Monday to Friday (UTC); 1970-01-01 was a Thursday, weekday index 3."""
    return (t // DAY + 3) % 7 < 5


def payout_arrival(created: int) -> int:
    """Midnight of the second business day after the payout (weekends skipped)."""
    day = midnight(created)
    left = PAYOUT_ARRIVAL_DAYS
    while left:
        day += DAY
        if is_business_day(day):
            left -= 1
    return day


def one_off_amount(rng: random.Random, currency: str) -> int:
    """A plausible single purchase: 5–500 in major units, lognormal around 40."""
    major = min(500.0, max(5.0, rng.lognormvariate(3.7, 0.8)))
    if currency in ZERO_DECIMAL_CURRENCIES:
        return max(1_500, int(major * 10) * 10)  # yen: 1,500–50,000, in tens of yen
    return int(major * 100 / 50) * 50  # cents, rounded to 50


def conversion_fee(amount: int) -> int:
    """Stripe's currency conversion fee (1%, US pricing) on a converted amount."""
    return (abs(amount) * CONVERSION_FEE_PER_MILLE + 500) // 1000


def fee_entry(
    amount: int, currency: str, description: str, kind: str = "stripe_fee", application=None
) -> dict:
    """One `fee_details` entry of a balance transaction."""
    return {
        "amount": amount,
        "application": application,
        "currency": currency,
        "description": description,
        "type": kind,
    }


def charge_fees(amount: int, currency: str, converted: bool) -> list[dict]:
    """A card charge's fees in its settlement currency (plus conversion when converted)."""
    fees = [fee_entry(card_fee(amount, currency), currency, "Stripe processing fees")]
    if converted:
        fees.append(fee_entry(conversion_fee(amount), currency, "Stripe currency conversion fee"))
    return fees
