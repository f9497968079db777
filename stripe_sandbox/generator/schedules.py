"""Subscription schedules: a plan change booked for the next period, then released.

Mid-period, a few active subscriptions (from the billing stream, one always
near the clock) book an upgrade with a schedule of two phases: the current
price to the period's end, the new one for the period after. At the
renewal the second phase starts (the price changes, no proration); at its
end the schedule is released (`end_behavior = release`) and the
subscription runs on. A subscription that ends first cancels its schedule.
"""

from __future__ import annotations

from collections.abc import Callable

from stripe_sandbox.generator import subscriptions as subs
from stripe_sandbox.generator.billing_stream import BillingStream
from stripe_sandbox.generator.catalog import Catalog
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.templates import Template

SCHEDULE = Template(
    "subscription_schedules",
    application=None,
    billing_mode={"flexible": None, "type": "classic"},
    customer_account=None,
    default_settings={
        "application_fee_percent": None,
        "automatic_tax": {"enabled": False, "liability": None, "disabled_reason": None},
        "billing_cycle_anchor": "automatic",
        "collection_method": "charge_automatically",
        "default_payment_method": None,
        "description": None,
        "invoice_settings": {
            "account_tax_ids": None,
            "days_until_due": None,
            "issuer": {"type": "self"},
            "custom_fields": None,
            "description": None,
            "footer": None,
        },
        "on_behalf_of": None,
        "transfer_data": None,
        "billing_thresholds": None,
    },
    end_behavior="release",
    livemode=False,
    metadata={},
    test_clock=None,
)
SCHEDULED_SHARE = 0.05  # of mid-period moments of active subscriptions
RECENT = 40 * DAY  # one schedule is always booked this close to the clock


class Schedules:
    """Booked plan changes of one account's subscriptions."""

    def __init__(self, stream: BillingStream, catalog: Catalog) -> None:
        self.stream, self.catalog = stream, catalog
        self.of_sub: dict[str, dict] = {}  # subscription id → its schedule
        self.booked: dict[str, dict] = {}  # subscription id → the price its next phase bills
        self.recent_done = False

    def maybe_book(self, t: int, sub: subs.Sub) -> bool:
        """Perhaps book an upgrade for the next period (False when nothing was booked)."""
        recent = not self.recent_done and t >= self.stream.ctx.clock - RECENT
        if not recent and self.stream.rng.random() >= SCHEDULED_SHARE:
            return False
        body = sub.body
        plans = self.catalog.plans.get(sub.price["currency"], [])
        upgrades = [p for p in plans if p["unit_amount"] > sub.price["unit_amount"]]
        if body["status"] != "active" or body["schedule"] or body["cancel_at_period_end"]:
            return False
        if not upgrades:
            return False
        self.recent_done = self.recent_done or recent
        new = upgrades[self.stream.rng.randrange(len(upgrades))]
        start, end = sub.period
        schedule = SCHEDULE.new(
            canceled_at=None,
            completed_at=None,
            created=t,
            current_phase={"end_date": end, "start_date": start},
            customer=sub.customer.id,
            id=self.stream.new_id("sub_sched_"),
            phases=[_phase(sub.price, start, end), _phase(new, end, subs.add_month(end))],
            released_at=None,
            released_subscription=None,
            status="active",
            subscription=body["id"],
        )
        self.of_sub[body["id"]], self.booked[body["id"]] = schedule, new
        self.stream.emit(t, "subscription_schedule.created", schedule)
        body["schedule"] = schedule["id"]
        self.stream.emit(t, "customer.subscription.updated", body, {"schedule": None})
        self.stream.ctx.keep("subscription_schedules", schedule)
        return True

    def renewing(self, t: int, sub: subs.Sub, name_of: Callable[[dict], str]) -> None:
        """At a renewal: start the booked phase, or release a schedule whose phases ended."""
        schedule = self.of_sub.get(sub.body["id"])
        if schedule is None:
            return
        booked = schedule["phases"][1]
        if t < booked["end_date"]:
            previous = {"current_phase": dict(schedule["current_phase"])}
            schedule["current_phase"] = {"end_date": booked["end_date"], "start_date": t}
            price = self.booked.pop(sub.body["id"])
            subs.set_price(sub, price, name_of(price))
            subs.keep(self.stream.ctx, sub)  # listed under its new price
            self.stream.emit(t, "subscription_schedule.updated", schedule, previous)
            return
        previous = {"status": "active", "released_at": None}
        schedule.update(
            current_phase=None,
            released_at=t,
            released_subscription=sub.body["id"],
            status="released",
            subscription=None,
        )
        self._done(t, sub, "subscription_schedule.released", previous)

    def ending(self, t: int, sub: subs.Sub) -> None:
        """The subscription ended: its schedule is canceled."""
        schedule = self.of_sub.get(sub.body["id"])
        if schedule is not None:
            schedule.update(canceled_at=t, current_phase=None, status="canceled")
            self._done(t, sub, "subscription_schedule.canceled", {"status": "active"})

    def _done(self, t: int, sub: subs.Sub, event_type: str, previous: dict) -> None:
        schedule = self.of_sub.pop(sub.body["id"])
        self.booked.pop(sub.body["id"], None)
        self.stream.emit(t, event_type, schedule, previous, api_request=False)
        sub.body["schedule"] = None
        self.stream.ctx.write("subscription_schedules", schedule)


def _phase(price: dict, start: int, end: int) -> dict:
    item = {
        "discounts": [],
        "metadata": {},
        "price": price["id"],
        "quantity": 1,
        "tax_rates": [],
        "plan": price["id"],
        "billing_thresholds": None,
    }
    return {
        "add_invoice_items": [],
        "application_fee_percent": None,
        "billing_cycle_anchor": None,
        "collection_method": None,
        "currency": price["currency"],
        "default_payment_method": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "end_date": end,
        "invoice_settings": None,
        "items": [item],
        "metadata": {},
        "on_behalf_of": None,
        "proration_behavior": "none",
        "start_date": start,
        "transfer_data": None,
        "trial_end": None,
        "billing_thresholds": None,
    }
