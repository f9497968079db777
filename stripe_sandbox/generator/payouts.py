"""Automatic payouts: one per currency per day, sweeping exactly the available balance.

Each payout has its own `payout` transaction (amount = -payout amount) that
carries the payout's filter row too, so listing `?payout=po_…` sums to zero.
A failed or canceled payout returns its funds with a positive
`payout_failure` / `payout_cancel` transaction that a later payout sweeps.
"""

from __future__ import annotations

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import DAY, payout_arrival
from stripe_sandbox.generator.quotas import Quotas
from stripe_sandbox.generator.templates import Template

PAYOUT = Template(
    "payouts",
    application_fee=None,
    application_fee_amount=None,
    automatic=True,
    description="STRIPE PAYOUT",
    livemode=False,
    metadata={},
    method="standard",
    source_type="card",
    type="bank_account",
    payout_method=None,
)
FAILURE = ("account_closed", "The bank account has been closed.")


class Payouts:
    """Creates the daily payouts of one account and settles them."""

    def __init__(self, ctx: Context, ledger: Ledger, quotas: Quotas) -> None:
        self.ctx, self.ledger, self.quotas = ctx, ledger, quotas
        self.bank_accounts: dict[str, str] = {}

    def daily(self, t: int, currency: str) -> None:
        amount, swept = self.ledger.sweep(t, currency)
        if amount <= 0:
            return
        ctx = self.ctx
        bank = self.bank_accounts.setdefault(currency, ctx.ids.new("ba_"))
        payout_id = ctx.ids.new("po_")
        arrival = payout_arrival(t)
        own = self.ledger.record(
            t,
            "payout",
            "payout",
            -amount,
            currency,
            payout_id,
            available_on=t,
            description="STRIPE PAYOUT",
            unpaid=False,
        )
        payout = PAYOUT.new(
            amount=amount,
            arrival_date=arrival,
            balance_transaction=own.id,
            created=t,
            currency=currency,
            destination=bank,
            id=payout_id,
            reconciliation_status="in_progress",
            status="pending",
            trace_id={"status": "pending", "value": None},
        )
        for txn in [*swept, own]:
            self.ledger.write(txn, payout=payout_id)
        ctx.events.emit(t, "payout.created", payout, api_request=False)
        ctx.keep("payouts", payout)
        if self.quotas.take("payout_canceled", t) or ctx.rng.random() < 0.003:
            ctx.scheduler.at(t + 2 * 3600, self.cancel, payout)
            return
        ctx.scheduler.at(t + 20 * 3600, self.in_transit, payout)
        failed = self.quotas.take("payout_failed", arrival) or ctx.rng.random() < 0.01
        ctx.scheduler.at(arrival + (DAY if failed else 0), self.settle, payout, failed)

    def in_transit(self, t: int, payout: dict) -> None:
        payout["status"] = "in_transit"
        self.ctx.events.emit(t, "payout.updated", payout, {"status": "pending"}, False)

    def settle(self, t: int, payout: dict, failed: bool) -> None:
        ctx = self.ctx
        if not failed:
            payout.update(
                status="paid",
                reconciliation_status="completed",
                trace_id={"status": "supported", "value": ctx.ids.token(15).upper()},
            )
            ctx.events.emit(t, "payout.updated", payout, {"status": "in_transit"}, False)
            ctx.events.emit(t, "payout.paid", payout, api_request=False)
            ctx.events.emit(t, "payout.reconciliation_completed", payout, api_request=False)
        else:
            txn = self.ledger.record(
                t,
                "payout_failure",
                "payout_reversal",
                payout["amount"],
                payout["currency"],
                payout["id"],
                description="STRIPE PAYOUT FAILURE",
            )
            payout.update(
                status="failed",
                failure_balance_transaction=txn.id,
                failure_code=FAILURE[0],
                failure_message=FAILURE[1],
                reconciliation_status="completed",
            )
            ctx.events.emit(t, "payout.updated", payout, {"status": "in_transit"}, False)
            ctx.events.emit(t, "payout.failed", payout, api_request=False)
        ctx.write("payouts", payout)

    def cancel(self, t: int, payout: dict) -> None:
        self.ledger.record(
            t,
            "payout_cancel",
            "payout_reversal",
            payout["amount"],
            payout["currency"],
            payout["id"],
            description="STRIPE PAYOUT CANCEL",
        )
        payout.update(status="canceled", reconciliation_status="not_applicable")
        self.ctx.events.emit(t, "payout.updated", payout, {"status": "pending"})
        self.ctx.events.emit(t, "payout.canceled", payout)
        self.ctx.write("payouts", payout)
