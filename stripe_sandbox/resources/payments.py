"""Payments: payment intents and methods, setup intents, Checkout, reviews, fraud warnings."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

PAYMENT_RESOURCES: tuple[Resource, ...] = ()
