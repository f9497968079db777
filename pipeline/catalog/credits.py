"""Credit notes and their lines, and the customer balance they credit."""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, StripeObject

CREDIT_OBJECTS: tuple[StripeObject, ...] = ()
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

CREDIT_CHILDREN: dict[str, tuple[ChildTable, ...]] = {}
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""
