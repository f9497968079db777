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

PAYMENT_METHOD_FIELDS: Fields = {
    "allow_redisplay": "varchar",
    "billing_details": {"address": {"country": "varchar"}, "email": "varchar"},
    "card": {
        "brand": "varchar",
        "country": "varchar",
        "exp_month": "integer",
        "exp_year": "integer",
        "fingerprint": "varchar",
        "funding": "varchar",
        "last4": "varchar",
    },
    "created": "bigint",
    "customer": "varchar",
    "livemode": "boolean",
    "sepa_debit": {"country": "varchar", "fingerprint": "varchar", "last4": "varchar"},
    "type": "varchar",
    "us_bank_account": {
        "account_type": "varchar",
        "bank_name": "varchar",
        "fingerprint": "varchar",
        "last4": "varchar",
    },
}  # fmt: skip
SETUP_INTENT_FIELDS: Fields = {
    "cancellation_reason": "varchar",
    "customer": "varchar",
    "last_setup_error": {"code": "varchar", "type": "varchar"},
    "livemode": "boolean",
    "mandate": "varchar",
    "payment_method": "varchar",
    "payment_method_types": ["varchar"],
    "status": "varchar",
    "usage": "varchar",
}  # fmt: skip

REVIEW_FIELDS: Fields = {
    "charge": "varchar",
    "closed_reason": "varchar",
    "livemode": "boolean",
    "open": "boolean",
    "opened_reason": "varchar",
    "payment_intent": "varchar",
    "reason": "varchar",
}  # fmt: skip
EARLY_FRAUD_WARNING_FIELDS: Fields = {
    "actionable": "boolean",
    "charge": "varchar",
    "fraud_type": "varchar",
    "livemode": "boolean",
    "payment_intent": "varchar",
}  # fmt: skip

CHECKOUT_SESSION_FIELDS: Fields = {
    "amount_subtotal": "bigint",
    "amount_total": "bigint",
    "currency": "varchar",
    "customer": "varchar",
    "customer_details": {"email": "varchar"},
    "expires_at": "bigint",
    "livemode": "boolean",
    "mode": "varchar",
    "payment_intent": "varchar",
    "payment_status": "varchar",
    "status": "varchar",
}  # fmt: skip
CHECKOUT_LINE_FIELDS: Fields = {
    "amount_discount": "bigint",
    "amount_subtotal": "bigint",
    "amount_tax": "bigint",
    "amount_total": "bigint",
    "currency": "varchar",
    "description": "varchar",
    "price": {"id": "varchar", "product": "varchar"},
    "quantity": "bigint",
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
    StripeObject(
        "payment_methods", "payment_method", "pm_", "/v1/customers/{parent}/payment_methods",
        has_created=False, parent="customers", sdk_list_params="CustomerListPaymentMethodsParams",
        listing_note="listed per customer: `type` unset lists every type, current and future; "
        "an unfiltered GET /v1/payment_methods returns every type except `custom` (and is "
        "meant for Treasury flows), so methods are not listed from there. Detached methods "
        "and those of deleted customers are no longer listed",
        event_types=event_types(
            "payment_method", "attached", "detached", "updated", "automatically_updated",
        ),
    ),
    StripeObject(
        "setup_intents", "setup_intent", "seti_", "/v1/setup_intents",
        filters=("customer", "payment_method"),
        expandable=("customer", "payment_method", "mandate"),
        sdk_list_params="SetupIntentListParams",
        listing_note="no default filter: every status is listed (`attach_to_self` unset "
        "lists intents of customers' payment methods, which is all this warehouse needs)",
        event_types=event_types(
            "setup_intent", "created", "succeeded", "setup_failed", "canceled",
            "requires_action",
        ),
        typed=SETUP_INTENT_FIELDS,
    ),
    StripeObject(
        "reviews", "review", "prv_", "/v1/reviews", expandable=("charge", "payment_intent"),
        sdk_list_params="ReviewListParams",
        listing_note="no default filter: open and closed reviews are listed",
        event_types=event_types("review", "opened", "closed"),
        description="Radar reviews of charges placed in review (open, or closed).",
        typed=REVIEW_FIELDS,
    ),
    StripeObject(
        "early_fraud_warnings", "radar.early_fraud_warning", "issfr_",
        "/v1/radar/early_fraud_warnings",
        filters=("charge", "payment_intent"), expandable=("charge", "payment_intent"),
        sdk_list_params="radar.EarlyFraudWarningListParams",
        listing_note="no default filter: actionable and no longer actionable warnings",
        event_types=event_types("radar.early_fraud_warning", "created", "updated"),
        description="Radar early fraud warnings: issuers' reports of a likely fraudulent charge.",
        typed=EARLY_FRAUD_WARNING_FIELDS,
    ),
    StripeObject(
        "checkout_sessions", "checkout.session", "cs_", "/v1/checkout/sessions",
        filters=("customer", "payment_intent", "status"),
        expandable=("customer", "payment_intent"),
        sdk_list_params="checkout.SessionListParams",
        listing_note="`status` has no default: open, complete and expired sessions are listed",
        children=(
            ChildTable(
                "checkout_session_line_items", "/v1/checkout/sessions/{parent}/line_items",
                "parent_id", lists="checkout_session_line_items",
                columns=(("checkout_session_id", "string"),),
                description="Checkout Session line items, listed from "
                "/v1/checkout/sessions/{id}/line_items, with their session's id; `created`/`month` "
                "are the session's.",
                typed=CHECKOUT_LINE_FIELDS,
            ),
        ),
        event_types=event_types(
            "checkout.session", "completed", "expired", "async_payment_succeeded",
            "async_payment_failed",
        ),
        typed=CHECKOUT_SESSION_FIELDS,
    ),
    StripeObject(
        "checkout_session_line_items", "item", "li_", "/v1/checkout/sessions/{parent}/line_items",
        has_created=False, parent="checkout_sessions",
        sdk_list_params="checkout.SessionListLineItemsParams",
        listing_note="no filter: every line item of the session",
    ),
)  # fmt: skip
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

PAYMENT_CHILDREN: dict[str, tuple[ChildTable, ...]] = {
    "customers": (
        ChildTable(
            "payment_methods", "/v1/customers/{parent}/payment_methods", "parent_created",
            lists="payment_methods",
            description="Payment methods saved to customers (card, sepa_debit, "
            "us_bank_account), listed from /v1/customers/{id}/payment_methods; "
            "`created`/`month` are the customer's, the method's own is `obj.created`.",
            typed=PAYMENT_METHOD_FIELDS,
        ),
    ),
}  # fmt: skip
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""
