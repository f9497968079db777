"""Billing: coupons, promotion codes, tax rates, credit notes, subscription items, balance."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

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
)
