"""Disputes: funds withdrawn with a dispute fee, evidence, then won (funds reinstated) or lost.

A dispute of a converted charge withdraws (and reinstates) at the day's rate,
with the dispute fee in the settlement currency.
"""

from __future__ import annotations

from collections.abc import Callable

from stripe_sandbox.generator.charges import Charges
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import DAY, DISPUTE_FEE, fee_entry
from stripe_sandbox.generator.quotas import Quotas
from stripe_sandbox.generator.templates import Template

DISPUTE = Template(
    "disputes",
    is_charge_refundable=False,
    livemode=False,
    metadata={},
    enhanced_eligibility_types=[],
)
REASONS = (
    ("fraudulent", "10.4"),
    ("product_not_received", "13.1"),
    ("duplicate", "12.6.1"),
    ("subscription_canceled", "13.2"),
)
NEVER = 10**12  # a time past any clock: the step never happens


class Disputes:
    """Plays out the disputes of one account's charges."""

    def __init__(self, ctx: Context, ledger: Ledger, quotas: Quotas, charges: Charges) -> None:
        self.ctx, self.ledger, self.quotas, self.charges = ctx, ledger, quotas, charges
        charges.plan_dispute = self.plan
        self.on_open: Callable[[int, dict, dict], None] | None = None  # Radar's warning

    def plan(self, t: int, charge: dict) -> None:
        """Maybe open a dispute on a new charge: its creation, evidence and close times."""
        rng, quotas, clock = self.ctx.rng, self.quotas, self.ctx.clock
        evidence = True
        if quotas.take("dispute_won_in_window", t):
            won, opened, closed = True, t + 5 * DAY, clock - rng.randrange(5, 12) * DAY
        elif quotas.take("dispute_lost_in_window", t):
            won, opened, closed = False, t + 5 * DAY, clock - rng.randrange(5, 12) * DAY
        elif quotas.take("dispute_open", t):
            won, opened, closed, evidence = False, t + DAY, NEVER, False
        elif quotas.take("dispute_under_review", t):
            won, opened, closed = False, t + 2 * DAY, NEVER
        elif rng.random() < 0.006:
            opened = t + rng.randrange(3, 30) * DAY
            won, closed = rng.random() < 0.45, opened + rng.randrange(20, 60) * DAY
            evidence = won or rng.random() < 0.7
        else:
            return
        self.charges.schedule(opened, charge, self.open, won, closed, evidence)

    def open(self, t: int, charge: dict, won: bool, closed: int, evidence: bool) -> None:
        ctx, currency, amount = self.ctx, charge["currency"], charge["amount"]
        dispute_id = ctx.ids.new("du_")
        settled, settled_in, rate = self.ledger.settle(t, -amount, currency)
        fee = fee_entry(DISPUTE_FEE.get(settled_in, 1500), settled_in, "Dispute fee")
        txn = self.ledger.record(
            t,
            "adjustment",
            "dispute",
            settled,
            settled_in,
            dispute_id,
            fees=[fee],
            description=f"Chargeback withdrawal for {charge['id']}",
            exchange_rate=rate,
        )
        reason, code = REASONS[ctx.rng.randrange(len(REASONS))]
        brand = charge["payment_method_details"]["card"]["brand"]
        dispute = DISPUTE.new(
            amount=amount,
            balance_transactions=[],
            charge=charge["id"],
            created=t,
            currency=currency,
            id=dispute_id,
            payment_intent=charge["payment_intent"],
            evidence_details={
                "due_by": t - t % DAY + 8 * DAY - 1,
                "has_evidence": False,
                "past_due": False,
                "submission_count": 0,
                "submission_method": "not_submitted",
                "enhanced_eligibility": {},
            },
            payment_method_details={
                "card": {
                    "brand": brand,
                    "case_type": "chargeback",
                    "network_reason_code": code,
                    "network": brand,
                },
                "type": "card",
            },
            reason=reason,
            status="needs_response",
        )
        ctx.events.emit(t, "charge.dispute.created", dispute)
        charge["disputed"] = True
        ctx.events.emit(t, "charge.updated", charge, {"disputed": False})
        dispute["balance_transactions"] = [txn.body]
        ctx.events.emit(t, "charge.dispute.funds_withdrawn", dispute, {"balance_transactions": []})
        ctx.keep("disputes", dispute)
        if evidence:
            self.charges.schedule(t + 4 * DAY, charge, self.submit_evidence, dispute)
        self.charges.schedule(closed, charge, self.close, dispute, won)
        if self.on_open is not None:
            self.on_open(t, charge, dispute)

    def submit_evidence(self, t: int, charge: dict, dispute: dict) -> None:
        previous = {"status": dispute["status"], "evidence_details": dispute["evidence_details"]}
        dispute["evidence"] = dispute["evidence"] | {
            "customer_email_address": charge["billing_details"]["email"],
            "customer_name": charge["billing_details"]["name"],
            "product_description": charge["description"],
            "uncategorized_text": "Customer used the service after the charge.",
        }
        dispute["evidence_details"] = dispute["evidence_details"] | {
            "has_evidence": True,
            "submission_count": 1,
            "submission_method": "manual",
        }
        dispute["status"] = "under_review"
        self.ctx.events.emit(t, "charge.dispute.updated", dispute, previous)

    def close(self, t: int, charge: dict, dispute: dict, won: bool) -> None:
        ctx = self.ctx
        previous = {"status": dispute["status"]}
        if won:
            amount, currency, rate = self.ledger.settle(t, dispute["amount"], dispute["currency"])
            txn = self.ledger.record(
                t,
                "adjustment",
                "dispute_reversal",
                amount,
                currency,
                dispute["id"],
                description=f"Chargeback reversal for {charge['id']}",
                exchange_rate=rate,
            )
            previous["balance_transactions"] = list(dispute["balance_transactions"])
            dispute["balance_transactions"] = [*dispute["balance_transactions"], txn.body]
            dispute["status"] = "won"
            ctx.events.emit(t, "charge.dispute.funds_reinstated", dispute, previous)
        else:
            dispute["status"] = "lost"
        ctx.events.emit(t, "charge.dispute.closed", dispute, previous)
        ctx.write("disputes", dispute)
