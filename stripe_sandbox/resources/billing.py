"""Billing: coupons, promotion codes, tax rates, credit notes, subscription items, balance."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

SCHEDULE_EXPANDABLE: tuple[str, ...] = (
    "application", "customer", "default_settings.automatic_tax.liability.account",
    "default_settings.default_payment_method",
    "default_settings.invoice_settings.account_tax_ids",
    "default_settings.invoice_settings.issuer.account", "default_settings.on_behalf_of",
    "default_settings.transfer_data.destination",
    "phases.add_invoice_items.discounts.coupon",
    "phases.add_invoice_items.discounts.discount",
    "phases.add_invoice_items.discounts.promotion_code", "phases.add_invoice_items.price",
    "phases.automatic_tax.liability.account", "phases.default_payment_method",
    "phases.discounts.coupon", "phases.discounts.discount",
    "phases.discounts.promotion_code", "phases.invoice_settings.account_tax_ids",
    "phases.invoice_settings.issuer.account", "phases.items.discounts.coupon",
    "phases.items.discounts.discount", "phases.items.discounts.promotion_code",
    "phases.items.plan", "phases.items.price", "phases.on_behalf_of",
    "phases.transfer_data.destination", "subscription", "test_clock",
)  # fmt: skip
"""What `expand[]` takes on a schedule: the pinned SDK's expandable fields."""

BILLING_RESOURCES: tuple[Resource, ...] = (
    Resource("coupons", "coupon", "", "/v1/coupons", deletable=True),
    Resource(
        "promotion_codes",
        "promotion_code",
        "promo_",
        "/v1/promotion_codes",
        filters=("active",),
        expandable=("customer", "promotion.coupon"),
    ),
    Resource(
        "tax_rates",
        "tax_rate",
        "txr_",
        "/v1/tax_rates",
        filters=("active", "inclusive"),
    ),
    Resource(
        "subscription_items",
        "subscription_item",
        "si_",
        "/v1/subscription_items",
        filters=("subscription",),
        expandable=("discounts",),
        has_created=False,
    ),
    Resource(
        "subscription_schedules",
        "subscription_schedule",
        "sub_sched_",
        "/v1/subscription_schedules",
        filters=("customer",),
        expandable=SCHEDULE_EXPANDABLE,
    ),
)
