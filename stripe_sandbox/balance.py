"""`GET /v1/balance`: the account's balance at the clock, stored by the generator.

The generator sums the account's unpaid balance transactions per currency and
status and stores the result as the object `balance` of each account (the
platform and every connected account, chosen by `Stripe-Account`).
"""

from __future__ import annotations

from stripe_sandbox.listing import AccountListing
from stripe_sandbox.resources import Resource

BALANCE = Resource("balance", "balance", "", "/v1/balance", has_created=False)


def balance_body(listing: AccountListing, account: str) -> bytes:
    return listing.retrieve(account, BALANCE, "balance")
