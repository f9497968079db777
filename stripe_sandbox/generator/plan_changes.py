"""Mid-period subscription changes: cancel at period end, and plan upgrades with prorations."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from stripe_sandbox.generator import subscriptions as subs
from stripe_sandbox.generator.invoice_parts import invoice_item
from stripe_sandbox.generator.templates import snapshot

if TYPE_CHECKING:
    from stripe_sandbox.generator.billing import Billing

FEEDBACK = ("too_expensive", "switched_service", "unused", "missing_features")


class PlanChanges:
    """Changes a customer asks for in the middle of a billing period."""

    def __init__(self, billing: Billing) -> None:
        self.billing, self.ctx, self.catalog = billing, billing.ctx, billing.catalog

    def request_cancel(self, t: int, sub: subs.Sub) -> None:
        body = sub.body
        if body["status"] not in ("active", "trialing") or body["cancel_at_period_end"]:
            return
        previous = {
            "cancel_at": None,
            "cancel_at_period_end": False,
            "canceled_at": None,
            "cancellation_details": dict(body["cancellation_details"]),
        }
        feedback = FEEDBACK[self.ctx.rng.randrange(len(FEEDBACK))]
        body.update(
            cancel_at=sub.period[1],
            cancel_at_period_end=True,
            canceled_at=t,
            cancellation_details={
                "comment": None,
                "feedback": feedback,
                "reason": "cancellation_requested",
            },
        )
        self.ctx.events.emit(t, "customer.subscription.updated", body, previous)

    def change_plan(self, t: int, sub: subs.Sub) -> None:
        """Upgrade mid-period: credit the unused time of the old plan, charge the new one."""
        ctx, body = self.ctx, sub.body
        plans = self.catalog.plans[sub.price["currency"]]
        others = [p for p in plans if p["unit_amount"] > sub.price["unit_amount"]]  # upgrades
        if body["status"] != "active" or body["cancel_at_period_end"] or not others:
            return
        if body["schedule"]:  # a booked change is the schedule's
            return
        new = others[ctx.rng.randrange(len(others))]
        (start, end), old = sub.period, sub.price
        day = time.strftime("%d %b %Y", time.gmtime(t))
        for price, sign, text in ((old, -1, "Unused time on"), (new, 1, "Remaining time on")):
            amount = sign * (price["unit_amount"] * (end - t) // (end - start))
            item = invoice_item(
                ctx,
                t,
                sub.customer.id,
                price,
                amount,
                f"{text} {self.billing.name_of(price)} after {day}",
                (t, end),
                body["id"],
                True,
            )
            sub.pending_items.append(item)
            ctx.keep("invoiceitems", item)
        previous = {"items": snapshot(body["items"])}
        subs.set_price(sub, new, self.billing.name_of(new))
        ctx.events.emit(t, "customer.subscription.updated", body, previous)
        subs.keep(ctx, sub)
