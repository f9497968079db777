"""Billing: coupons, promotion codes, tax rates, credit notes, subscription items, balance."""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, StripeObject

BILLING_OBJECTS: tuple[StripeObject, ...] = ()
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

BILLING_CHILDREN: dict[str, tuple[ChildTable, ...]] = {}
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""
