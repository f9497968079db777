"""Subscription objects: one licensed monthly item whose period lives on the item.

The item is stored on its own too (`GET /v1/subscription_items?subscription=`),
the same body as the one embedded in `items`.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass, field

from stripe_sandbox.generator.catalog import plan_of
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.customers import Customer
from stripe_sandbox.generator.templates import Template, embedded_list

SUBSCRIPTION = Template(
    "subscriptions",
    application=None,
    application_fee_percent=None,
    automatic_tax={"enabled": False, "liability": None, "disabled_reason": None},
    billing_cycle_anchor_config=None,
    cancellation_details={"comment": None, "feedback": None, "reason": None},
    collection_method="charge_automatically",
    days_until_due=None,
    default_payment_method=None,
    default_source=None,
    default_tax_rates=[],
    description=None,
    discounts=[],
    invoice_settings={
        "account_tax_ids": None,
        "issuer": {"type": "self"},
        "custom_fields": None,
        "description": None,
        "footer": None,
    },
    livemode=False,
    metadata={},
    next_pending_invoice_item_invoice=None,
    on_behalf_of=None,
    pause_collection=None,
    payment_settings={
        "payment_method_options": None,
        "payment_method_types": None,
        "save_default_payment_method": "off",
    },
    pending_invoice_item_interval=None,
    pending_setup_intent=None,
    pending_update=None,
    schedule=None,
    test_clock=None,
    transfer_data=None,
    trial_settings={"end_behavior": {"missing_payment_method": "create_invoice"}},
    billing_thresholds=None,
    billing_mode={"flexible": None, "type": "classic"},
    customer_account=None,
    managed_payments={"enabled": False},
    billing_schedules=[],
)
ITEM = Template(
    "subscription_items",
    discounts=[],
    metadata={},
    quantity=1,
    tax_rates=[],
    billing_thresholds=None,
)


def add_month(t: int) -> int:
    """The same day and time next month (clamped to the month's last day)."""
    g = time.gmtime(t)
    year, month = g.tm_year + g.tm_mon // 12, g.tm_mon % 12 + 1
    day = min(g.tm_mday, calendar.monthrange(year, month)[1])
    return calendar.timegm((year, month, day, g.tm_hour, g.tm_min, g.tm_sec))


@dataclass
class Sub:
    """A live subscription and what the simulation needs to bill it."""

    body: dict
    customer: Customer
    price: dict
    product_name: str
    pending_items: list[dict] = field(default_factory=list)
    fail_all: bool = False  # every retry of the current invoice is declined

    @property
    def item(self) -> dict:
        return self.body["items"]["data"][0]

    @property
    def period(self) -> tuple[int, int]:
        return self.item["current_period_start"], self.item["current_period_end"]


def new_subscription(
    ctx: Context, t: int, customer: Customer, price: dict, product_name: str, trial_days: int
) -> Sub:
    sub_id, end = ctx.ids.new("sub_"), add_month(t)
    trial_end = t + trial_days * 86_400 if trial_days else None
    item = ITEM.new(
        created=t,
        id=ctx.ids.new("si_"),
        price=price,
        subscription=sub_id,
        plan=plan_of(price),
        current_period_start=t,
        current_period_end=trial_end or end,
    )
    body = SUBSCRIPTION.new(
        billing_cycle_anchor=trial_end or t,
        cancel_at=None,
        canceled_at=None,
        created=t,
        currency=price["currency"],
        customer=customer.id,
        ended_at=None,
        id=sub_id,
        items=embedded_list(f"/v1/subscription_items?subscription={sub_id}", [item]),
        latest_invoice=None,
        start_date=t,
        status="trialing" if trial_days else "active",
        trial_end=trial_end,
        trial_start=t if trial_days else None,
        cancel_at_period_end=False,
    )
    return Sub(body, customer, price, product_name)


def set_price(sub: Sub, price: dict, product_name: str) -> None:
    sub.price, sub.product_name = price, product_name
    sub.item.update(price=price, plan=plan_of(price))


def keep(ctx: Context, sub: Sub) -> None:
    """Hold the subscription and its item (also listed on their own) till their final state."""
    ctx.keep("subscriptions", sub.body, filters={"price": sub.price["id"]})
    ctx.keep("subscription_items", sub.item)


def write(ctx: Context, sub: Sub) -> None:
    ctx.write("subscriptions", sub.body, filters={"price": sub.price["id"]})
    ctx.write("subscription_items", sub.item)
