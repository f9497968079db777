"""Processing validated events: object state first, then the handlers.

Only events with `status = 'validated'` (authentic: `valid = true`) are
processed; forged and unprovable events never reach here. The payload applied
is Stripe's re-fetched copy, and rows are marked by their stored id. The state
change is idempotent (newest snapshot wins), and the `processed` mark follows
it: a crash in between re-applies the same snapshots, which changes nothing.
Handlers then run exactly once each (`pipeline.events.dispatch`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.events.dispatch import dispatch_applied
from pipeline.events.exceptions import record_exception
from pipeline.events.fetch import StripeLookup
from pipeline.events.handlers import REGISTRY, HandlerRegistry
from pipeline.events.state import apply_to_raw


def validated_events(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, dict[str, Any]]]:
    """(stored id, Stripe's copy) of the events waiting to be applied, oldest first."""
    rows = conn.execute(
        "select id, payload_refetched from events.events "
        "where status = 'validated' and valid order by created, id"
    ).fetchall()
    return [(event_id, json.loads(payload)) for event_id, payload in rows]


def mark_applied(conn: duckdb.DuckDBPyConnection, event_ids: Sequence[str]) -> None:
    conn.execute(
        "update events.events set processed = true, processed_at = ?, status = 'applied' "
        "where id in (select unnest(?))",
        [datetime.now(UTC), list(event_ids)],
    )


def apply_each(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    lookup: StripeLookup,
    events: list[tuple[str, dict]],
) -> list[str]:
    """Apply events one by one (after a batch failed); the stored ids that applied."""
    applied = []
    for event_id, event in events:
        try:
            apply_to_raw(conn, raw_dir, lookup, [event])
            applied.append(event_id)
        except Exception as error:  # recorded per event
            record_exception(
                conn,
                "process",
                str(error),
                event_id=event_id,
                error=error,
                payload=json.dumps(event),
            )
            conn.execute(
                "update events.events set status = 'process_failed' where id = ?", [event_id]
            )
    return applied


def process_pending(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    lookup: StripeLookup,
    registry: HandlerRegistry = REGISTRY,
) -> Counter[str]:
    """Apply every validated event to the raw layer, then dispatch; counts per outcome."""
    events = validated_events(conn)
    counts: Counter[str] = Counter()
    if events:
        try:
            apply_to_raw(conn, raw_dir, lookup, [event for _, event in events])
            applied = [event_id for event_id, _ in events]
        except Exception:  # isolate the failing events
            applied = apply_each(conn, raw_dir, lookup, events)
        mark_applied(conn, applied)
        counts["process_failed"] = len(events) - len(applied)
    counts.update(dispatch_applied(conn, registry))
    return +counts
