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
)
