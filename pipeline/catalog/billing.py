"""Billing: coupons, promotion codes, tax rates and subscription items.

Every list parameter was read in the pinned SDK's `CouponListParams`,
`PromotionCodeListParams`, `TaxRateListParams` and `SubscriptionItemListParams`:
none documents a default that leaves objects out. Discounts have no list of
their own: they are named by id on subscriptions, invoices and lines (with
their amounts there) and sent as `customer.discount.*` events.
"""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, ListDefault, StripeObject, event_types
from pipeline.catalog.typed_fields import SUBSCRIPTION_FIELDS, Fields

COUPON_FIELDS: Fields = {
    "amount_off": "bigint",
    "currency": "varchar",
    "duration": "varchar",
    "duration_in_months": "integer",
    "livemode": "boolean",
    "max_redemptions": "bigint",
    "name": "varchar",
    "percent_off": "double",
    "redeem_by": "bigint",
    "times_redeemed": "bigint",
    "valid": "boolean",
}  # fmt: skip
PROMOTION_CODE_FIELDS: Fields = {
    "active": "boolean",
    "code": "varchar",
    "customer": "varchar",
    "expires_at": "bigint",
    "livemode": "boolean",
    "max_redemptions": "bigint",
    "promotion": {"type": "varchar", "coupon": "varchar"},
    "times_redeemed": "bigint",
}  # fmt: skip
TAX_RATE_FIELDS: Fields = {
    "active": "boolean",
    "country": "varchar",
    "description": "varchar",
    "display_name": "varchar",
    "inclusive": "boolean",
    "jurisdiction": "varchar",
    "livemode": "boolean",
    "percentage": "double",
    "state": "varchar",
    "tax_type": "varchar",
}  # fmt: skip
SUBSCRIPTION_SCHEDULE_FIELDS: Fields = {
    "canceled_at": "bigint",
    "completed_at": "bigint",
    "current_phase": {"start_date": "bigint", "end_date": "bigint"},
    "customer": "varchar",
    "end_behavior": "varchar",
    "livemode": "boolean",
    "phases": [{
        "start_date": "bigint",
        "end_date": "bigint",
        "currency": "varchar",
        "items": [{"price": "varchar", "quantity": "bigint"}],
    }],
    "released_at": "bigint",
    "released_subscription": "varchar",
    "status": "varchar",
    "subscription": "varchar",
}  # fmt: skip
SUBSCRIPTION_ITEM_FIELDS: Fields = SUBSCRIPTION_FIELDS["items"]["data"][0]
"""A listed item has the struct of an item embedded in its subscription (one type for both)."""

BILLING_OBJECTS: tuple[StripeObject, ...] = (
    StripeObject(
        "coupons", "coupon", "", "/v1/coupons", deletable=True,
        sdk_list_params="CouponListParams",
        listing_note="no filter but `created`: every coupon, valid or not; deleted coupons "
        "are never listed (only events and retrieve recall them)",
        event_types=("coupon.created", "coupon.updated", "coupon.deleted"),
        description="Coupons: ids the account chose (`SPRING25`) or random ones.",
        typed=COUPON_FIELDS,
    ),
    StripeObject(
        "promotion_codes", "promotion_code", "promo_", "/v1/promotion_codes",
        filters=("active", "code", "coupon", "customer"), expandable=("customer",),
        sdk_list_params="PromotionCodeListParams",
        listing_note="`active` has no default: active and inactive codes are both listed",
        event_types=("promotion_code.created", "promotion_code.updated"),
        typed=PROMOTION_CODE_FIELDS,
    ),
    StripeObject(
        "tax_rates", "tax_rate", "txr_", "/v1/tax_rates",
        filters=("active", "inclusive"), sdk_list_params="TaxRateListParams",
        listing_note="`active` and `inclusive` have no default: every rate, archived and "
        "inclusive ones too",
        event_types=("tax_rate.created", "tax_rate.updated"),
        typed=TAX_RATE_FIELDS,
    ),
    StripeObject(
        "subscription_schedules", "subscription_schedule", "sub_sched_",
        "/v1/subscription_schedules", filters=("customer",),
        expandable=("customer", "subscription"),
        list_defaults=(
            ListDefault(
                "customer",
                "without `customer`, schedules of customers with a test clock attached are "
                "not included",
                "accepted",
                "test clocks exist in test mode only; their schedules are simulations "
                "listed customer by customer, and the subscriptions naming them point at "
                "what is missing",
            ),
        ),
        sdk_list_params="SubscriptionScheduleListParams",
        listing_note="no status filter: not started, active, completed, released and "
        "canceled schedules are all listed (`scheduled` only narrows to not started)",
        event_types=(
            "subscription_schedule.aborted", "subscription_schedule.canceled",
            "subscription_schedule.completed", "subscription_schedule.created",
            "subscription_schedule.expiring", "subscription_schedule.released",
            "subscription_schedule.updated",
        ),
        typed=SUBSCRIPTION_SCHEDULE_FIELDS,
    ),
    StripeObject(
        "subscription_items", "subscription_item", "si_", "/v1/subscription_items",
        filters=("subscription",), has_created=False, parent="subscriptions",
        sdk_list_params="SubscriptionItemListParams",
        listing_note="`subscription` is required: the items of one subscription. Stripe "
        "documents no status limit; every subscription (listed with status=all, canceled "
        "ones too) embeds its items under `items`, so that first page is read from it and "
        "the list is asked only for a subscription with more",
    ),
)  # fmt: skip
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

BILLING_CHILDREN: dict[str, tuple[ChildTable, ...]] = {
    "subscriptions": (
        ChildTable(
            "subscription_items", "/v1/subscription_items", "parent_created",
            lists="subscription_items", parent_param="subscription", embedded="items",
            description="Subscription items: embedded in subscriptions (`items`), or paged "
            "from /v1/subscription_items?subscription= when a subscription has more.",
            typed=SUBSCRIPTION_ITEM_FIELDS,
        ),
    ),
}  # fmt: skip
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""

CARRIED_EVENT_TYPES: dict[str, str] = dict.fromkeys(
    event_types("customer.discount", "created", "updated", "deleted"),
    "a discount (`di_`) has no list and no raw table: it is named in the `discounts` of "
    "its subscription, invoice or line, which their own events bring",
)
"""Event types stored and validated but applied to no raw table, each with its reason."""
