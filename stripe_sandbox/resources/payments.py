"""Payments: payment intents and methods, setup intents, Checkout, reviews, fraud warnings."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

PAYMENT_RESOURCES: tuple[Resource, ...] = (
    Resource(
        "payment_intents",
        "payment_intent",
        "pi_",
        "/v1/payment_intents",
        filters=("customer",),
        expandable=("customer", "latest_charge", "payment_method"),
    ),
    Resource(  # listed per customer too: `CUSTOMER_LISTS`
        "payment_methods",
        "payment_method",
        "pm_",
        "/v1/payment_methods",
        filters=("customer", "type"),
        expandable=("customer",),
    ),
    Resource(
        "setup_intents",
        "setup_intent",
        "seti_",
        "/v1/setup_intents",
        filters=("customer", "payment_method"),
        expandable=("customer", "payment_method", "mandate"),
    ),
    Resource("reviews", "review", "prv_", "/v1/reviews", expandable=("charge", "payment_intent")),
    Resource(
        "early_fraud_warnings",
        "radar.early_fraud_warning",
        "issfr_",
        "/v1/radar/early_fraud_warnings",
        filters=("charge", "payment_intent"),
        expandable=("charge", "payment_intent"),
    ),
    Resource(
        "checkout_sessions",
        "checkout.session",
        "cs_",
        "/v1/checkout/sessions",
        filters=("customer", "payment_intent", "status"),
        expandable=("customer", "payment_intent"),
    ),
    Resource(
        "checkout_session_line_items",
        "item",
        "li_",
        "/v1/checkout/sessions/{parent}/line_items",
        has_created=False,
        parent="checkout_sessions",
    ),
)

CUSTOMER_LISTS: dict[str, tuple[str, str]] = {
    "payment_methods": ("payment_methods", "customer"),
}
"""`/v1/customers/{id}/<name>` → the resource listed, filtered by this parameter = the id."""
