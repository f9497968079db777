"""Numbers for asset checks and metadata: invalid share, backlog, new exceptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

INVALID = ("forged", "not_found")
BACKLOG = ("received", "validated", "applied", "process_failed", "handler_failed")


@dataclass(frozen=True)
class EventHealth:
    events: int
    invalid: int  # events forged or unprovable, and forged deliveries of genuine events
    backlog: int  # not yet processed (any reason)
    open_exceptions: int
    new_exceptions: int  # open ones that occurred since the given time

    @property
    def invalid_share(self) -> float:
        return self.invalid / self.events if self.events else 0.0


def event_health(conn: duckdb.DuckDBPyConnection, since: datetime | None = None) -> EventHealth:
    """Counts over `events.events` and its open exceptions (new = since `since`)."""
    events, invalid, backlog = conn.execute(
        "select count(*), count(*) filter (status in (select unnest(?))), "
        "count(*) filter (status in (select unnest(?))) from events.events",
        [list(INVALID), list(BACKLOG)],
    ).fetchone()
    invalid += conn.execute(
        "select count(*) from events.event_deliveries d join events.events e on e.id = d.event_id "
        "where d.verdict = 'forged' and e.valid"
    ).fetchone()[0]
    open_count, new_count = conn.execute(
        "select count(*), count(*) filter (occurred_at >= coalesce(?, occurred_at)) "
        "from events.event_processing_exceptions where resolved_at is null",
        [since],
    ).fetchone()
    return EventHealth(events, invalid, backlog, open_count, new_count)


def counts_by_status_and_type(conn: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """`{status: {type: count}}`, for asset metadata."""
    rows = conn.execute(
        "select status, type, count(*) from events.events group by all order by all"
    ).fetchall()
    table: dict[str, dict[str, int]] = {}
    for status, event_type, count in rows:
        table.setdefault(status, {})[event_type] = count
    return table
