"""Balance transactions and the per-currency balance that automatic payouts sweep.

A transaction's body is final when it is made (its `status` is `available`
once `available_on` has passed at the clock); it is written when a payout
sweeps it, with the `payout` filter row, or at the end, unswept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.fx import Settlement
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.templates import Template

TXN = Template("balance_transactions", exchange_rate=None, balance_type="payments")


@dataclass
class Txn:
    id: str
    created: int
    available_on: int
    net: int
    type: str
    body: dict


class Ledger:
    """Unpaid balance transactions of one account, per currency."""

    def __init__(self, ctx: Context, settlement: Settlement) -> None:
        self.ctx, self.settlement = ctx, settlement
        self.unpaid: dict[str, list[Txn]] = {}

    def settle(self, t: int, amount: int, currency: str) -> tuple[int, str, float | None]:
        """A payment's (amount, currency, exchange_rate) in this account's balance."""
        return self.settlement.settle(t, amount, currency)

    def record(
        self,
        t: int,
        kind: str,
        category: str,
        amount: int,
        currency: str,
        source: str,
        *,
        fees: Sequence[dict] = (),
        available_on: int | None = None,
        description: str | None = None,
        unpaid: bool = True,
        exchange_rate: float | None = None,
        ids: IdMaker | None = None,
    ) -> Txn:
        """Make a transaction (`net = amount - fee`); an `unpaid` one joins the balance.

        `ids` makes its id instead of the account's (a domain with its own stream)."""
        available_on = t if available_on is None else available_on
        fee = 0
        for entry in fees:  # a loop: cheaper than sum() over a generator for one or two
            fee += entry["amount"]
        body = TXN.new(
            amount=amount,
            available_on=available_on,
            created=t,
            currency=currency,
            description=description,
            exchange_rate=exchange_rate,
            fee=fee,
            fee_details=list(fees),
            id=(ids or self.ctx.ids).new("txn_"),
            net=amount - fee,
            reporting_category=category,
            source=source,
            status="available" if available_on <= self.ctx.clock else "pending",
            type=kind,
        )
        txn = Txn(body["id"], t, available_on, amount - fee, kind, body)
        if unpaid:
            self.unpaid.setdefault(currency, []).append(txn)
        return txn

    def sweep(self, t: int, currency: str) -> tuple[int, list[Txn]]:
        """The available balance at t and its transactions, if positive (else nothing)."""
        unpaid = self.unpaid.get(currency, [])
        ready = [txn for txn in unpaid if txn.available_on <= t]
        total = sum(txn.net for txn in ready)
        if total <= 0:
            return 0, []
        self.unpaid[currency] = [txn for txn in unpaid if txn.available_on > t]
        return total, ready

    def write(self, txn: Txn, payout: str | None = None) -> None:
        filters = {"payout": payout} if payout else {}
        self.ctx.write("balance_transactions", txn.body, filters=filters)

    def finish(self) -> None:
        for currency in sorted(self.unpaid):
            for txn in self.unpaid[currency]:
                self.write(txn)
        self.unpaid = {}
