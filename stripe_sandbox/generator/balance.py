"""The account's balance at the clock, as `GET /v1/balance` shows it.

Stripe's balance is the running sum of the account's balance transactions:
per currency, the nets not yet paid out, split into `available` (available_on
has passed) and `pending`. Payouts take exactly what they list, so the unpaid
transactions are the balance. Stored once per account as the object `balance`.
"""

from __future__ import annotations

from collections import Counter

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.templates import Template

BALANCE = Template("balance", livemode=False)


def balance_at_clock(ledger: Ledger, currencies: tuple[str, ...], platform: bool) -> dict:
    """The balance object of an account from its ledger's unpaid transactions."""
    clock = ledger.ctx.clock
    available, pending = Counter(), Counter()
    for currency, txns in ledger.unpaid.items():
        for txn in txns:
            (available if txn.available_on <= clock else pending)[currency] += txn.net
    held = [*currencies, *sorted(set(ledger.unpaid) - set(currencies))]
    balance = BALANCE.new(
        available=[_funds(available[c], c) for c in held],
        connect_reserved=[{"amount": 0, "currency": c} for c in held],
        pending=[_funds(pending[c], c) for c in held],
    )
    if not platform:
        del balance["connect_reserved"]  # only platforms hold reserves for their accounts
    return balance


def _funds(amount: int, currency: str) -> dict:
    return {"amount": amount, "currency": currency, "source_types": {"card": amount}}


def write_balance(ctx: Context, balance: dict) -> None:
    ctx.sink.put(ctx.account, "balance", balance, ctx.clock, object_id="balance")
