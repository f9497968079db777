"""A purge stays in force in the events: what is taken in after it is blanked too.

Deliveries are blanked as they are taken into the warehouse, and Stripe's
copies (which still hold the customer's data until the customer is deleted
in Stripe) as they are fetched, so a blanked delivery is judged against a
copy blanked the same way, and no event table stores what the purge removed.
"""

from __future__ import annotations

from typing import Any

from pipeline.events.fetch import StripeLookup
from pipeline.raw.blanking import blank


class PurgedLookup:
    """A `StripeLookup` whose answers have purged customers' personal data blanked."""

    def __init__(self, lookup: StripeLookup, customer_ids: frozenset[str]) -> None:
        self.lookup, self.customer_ids = lookup, customer_ids

    def event(self, event_id: str, account: str | None) -> dict[str, Any] | None:
        return blank(self.lookup.event(event_id, account), self.customer_ids)

    def object(
        self, object_id: str, account: str | None, kind: str | None = None
    ) -> dict[str, Any] | None:
        return blank(self.lookup.object(object_id, account, kind), self.customer_ids)


def purge_aware(lookup: StripeLookup, customer_ids: frozenset[str]) -> StripeLookup:
    """`lookup` itself when nobody is purged, else its blanking wrapper."""
    return PurgedLookup(lookup, customer_ids) if customer_ids else lookup
