"""Payments: payment intents and methods, setup intents, Checkout, reviews, fraud warnings."""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, StripeObject, event_types
from pipeline.catalog.typed_fields import Fields

PAYMENT_INTENT_FIELDS: Fields = {
    "amount": "bigint",
    "amount_capturable": "bigint",
    "amount_received": "bigint",
    "canceled_at": "bigint",
    "cancellation_reason": "varchar",
    "capture_method": "varchar",
    "currency": "varchar",
    "customer": "varchar",
    "description": "varchar",
    "last_payment_error": {"code": "varchar", "decline_code": "varchar", "type": "varchar"},
    "latest_charge": "varchar",
    "livemode": "boolean",
    "payment_method": "varchar",
    "status": "varchar",
}  # fmt: skip

PAYMENT_OBJECTS: tuple[StripeObject, ...] = (
    StripeObject(
        "payment_intents", "payment_intent", "pi_", "/v1/payment_intents",
        filters=("customer",), expandable=("customer", "latest_charge", "payment_method"),
        sdk_list_params="PaymentIntentListParams",
        listing_note="no default filter: every status is listed (`customer` and "
        "`customer_account` only narrow it); charges made the older direct way name none",
        event_types=event_types(
            "payment_intent", "created", "succeeded", "payment_failed", "canceled",
            "processing", "requires_action", "amount_capturable_updated",
            "partially_funded",
        ),
        description="PaymentIntents: every `pi_` a charge names, and those that never "
        "reached a successful charge (requires_payment_method, canceled, processing).",
        typed=PAYMENT_INTENT_FIELDS,
    ),
)  # fmt: skip
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

PAYMENT_CHILDREN: dict[str, tuple[ChildTable, ...]] = {}
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""
