"""Connect and platform money: connected accounts, application fees, transfer reversals, top-ups."""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, StripeObject

CONNECT_OBJECTS: tuple[StripeObject, ...] = ()
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

CONNECT_CHILDREN: dict[str, tuple[ChildTable, ...]] = {}
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""
