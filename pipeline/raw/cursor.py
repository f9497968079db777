"""Where to read events from next, and when the events API can no longer say. Pure.

The cursor is the newest taken-in event's (created, id). Events are read from
`cursor.created - overlap` so events sharing a second with the cursor (or
arriving late within a few seconds) are not missed; taking one in twice is
harmless (same version; rows and events are keyed by id). Stripe keeps events
30 days: a cursor older than that has lost events, and since any object,
however old, may have changed, every month from the account's first must be
listed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.catalog import EVENT_RETENTION_SECONDS
from pipeline.months import month_of, months_between

OVERLAP_SECONDS = 5


@dataclass(frozen=True, order=True)
class EventCursor:
    created: int
    id: str


@dataclass(frozen=True)
class EventSyncPlan:
    created_gte: int  # list /v1/events with created[gte] = this
    relist_months: tuple[str, ...]  # months whose lists must be read again first

    @property
    def needs_relist(self) -> bool:
        return bool(self.relist_months)


def plan_event_sync(
    cursor: EventCursor | None,
    now: int,
    first_month: str,
    *,
    overlap_seconds: int = OVERLAP_SECONDS,
    retention_seconds: int = EVENT_RETENTION_SECONDS,
) -> EventSyncPlan:
    """Where to start reading events; which months to re-list when the cursor is too old."""
    oldest_available = now - retention_seconds
    if cursor is not None and cursor.created - overlap_seconds >= oldest_available:
        return EventSyncPlan(cursor.created - overlap_seconds, ())
    months = tuple(months_between(first_month, month_of(now)))
    return EventSyncPlan(oldest_available, months)
