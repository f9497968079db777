"""Payments: payment intents and methods, setup intents, Checkout, reviews, fraud warnings."""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, StripeObject

PAYMENT_OBJECTS: tuple[StripeObject, ...] = ()
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

PAYMENT_CHILDREN: dict[str, tuple[ChildTable, ...]] = {}
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""
