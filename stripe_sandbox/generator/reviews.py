"""Radar: reviews of charges Stripe found risky, and early fraud warnings before disputes.

A small share of succeeded charges is placed in review by a rule (`outcome`
`manual_review`, risk `elevated`; the charge's and its intent's `review`); the
review is approved within two days, or still open at the clock. Before most
disputes the card issuer sent an early fraud warning, no longer actionable
once the dispute opened. No money moves here. Draws come from this module's
own RNG stream, ids and event log.
"""

from __future__ import annotations

import random

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.templates import Template

REVIEW = Template(
    "reviews",
    billing_zip=None,
    ip_address=None,
    ip_address_location=None,
    livemode=False,
    session=None,
)
WARNING = Template("early_fraud_warnings", livemode=False)
REVIEW_SHARE = 0.015
IN_REVIEW = {
    "network_status": "approved_by_network",
    "reason": "elevated_risk_level",
    "risk_level": "elevated",
    "seller_message": "Stripe evaluated this payment as having elevated risk, and placed "
    "it in review.",
    "type": "manual_review",
}
FRAUD_TYPE = {"fraudulent": "made_with_stolen_card", "unrecognized": "unauthorized_use_of_card"}


class Radar:
    """Reviews and early fraud warnings of one account."""

    def __init__(self, ctx: Context, seed: int) -> None:
        self.ctx = ctx
        self.rng = random.Random(f"{seed}:{ctx.account or 'platform'}:radar")
        self.ids = IdMaker(self.rng)
        self.events = EventLog(ctx.sink, self.ids, ctx.account, ctx.clock)
        self.warned = 0

    def on_charge(self, t: int, charge: dict) -> str | None:
        """Maybe place a new succeeded charge in review; the review's id, or None."""
        if charge["status"] != "succeeded" or self.rng.random() >= REVIEW_SHARE:
            return None
        rng, clock, self.ids.now = self.rng, self.ctx.clock, t
        review = REVIEW.new(
            charge=charge["id"],
            closed_reason=None,
            created=t,
            id=self.ids.new("prv_"),
            open=True,
            opened_reason="rule",
            payment_intent=charge["payment_intent"],
            reason="rule",
        )
        charge["review"] = review["id"]
        charge["outcome"] = (charge["outcome"] or {}) | IN_REVIEW
        self.events.emit(t, "review.opened", review, api_request=False)
        closed = t + rng.randrange(3600, 2 * DAY)
        if closed <= clock:
            previous = {"open": True, "closed_reason": None, "reason": "rule"}
            review.update(open=False, closed_reason="approved", reason="approved")
            self.events.emit(closed, "review.closed", review, previous)
        self.ctx.write("reviews", review)
        return review["id"]

    def on_dispute(self, t: int, charge: dict, dispute: dict) -> None:
        """Most disputes were preceded by the issuer's early fraud warning."""
        rng = self.rng
        if self.warned and dispute["reason"] not in FRAUD_TYPE and rng.random() >= 0.5:
            return
        self.warned += 1
        created = max(charge["created"] + 3600, t - rng.randrange(DAY, 5 * DAY))
        self.ids.now = created
        warning = WARNING.new(
            actionable=True,
            charge=charge["id"],
            created=created,
            fraud_type=FRAUD_TYPE.get(dispute["reason"], "misc"),
            id=self.ids.new("issfr_"),
            payment_intent=charge["payment_intent"],
        )
        self.events.emit(created, "radar.early_fraud_warning.created", warning, api_request=False)
        warning["actionable"] = False
        self.events.emit(
            t, "radar.early_fraud_warning.updated", warning, {"actionable": True}, api_request=False
        )
        self.ctx.write("early_fraud_warnings", warning)
