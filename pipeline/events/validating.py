"""Validating the events waiting in `events.events` (status `received`)."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb

from pipeline.events.exceptions import record_exception
from pipeline.events.fetch import StripeLookup
from pipeline.events.validation import Verdict, validate_event


def pending_validation(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(id, payload_received) of events not validated yet, oldest first."""
    return conn.execute(
        "select id, payload_received from events.events where status = 'received' "
        "order by created, id"
    ).fetchall()


def save_verdict(conn: duckdb.DuckDBPyConnection, event_id: str, verdict: Verdict) -> None:
    status = "validated" if verdict.valid else verdict.status
    refetched = json.dumps(verdict.refetched) if verdict.refetched is not None else None
    conn.execute(
        "update events.events set valid = ?, validation_status = ?, differing_fields = ?, "
        "payload_refetched = ?, validated_at = ?, status = ? where id = ?",
        [
            verdict.valid,
            verdict.status,
            list(verdict.differing_fields),
            refetched,
            datetime.now(UTC),
            status,
            event_id,
        ],
    )


def validate_pending(
    conn: duckdb.DuckDBPyConnection,
    lookup: StripeLookup,
    now: int | None = None,
    ids: Sequence[str] | None = None,
) -> Counter[str]:
    """Validate waiting events (or only `ids`); counts per verdict, `error` for failures.

    An event whose lookup fails (network, 5xx) stays `received` and gets a
    `validate` exception row, so the next run tries again. A forged or
    unprovable event is recorded as an exception too.
    """
    clock = int(time.time()) if now is None else now
    counts: Counter[str] = Counter()
    wanted = set(ids) if ids is not None else None
    for event_id, payload in pending_validation(conn):
        if wanted is not None and event_id not in wanted:
            continue
        try:
            verdict = validate_event(json.loads(payload), lookup, clock)
        except Exception as error:  # every failure becomes a row
            record_exception(
                conn, "validate", str(error), event_id=event_id, error=error, payload=payload
            )
            counts["error"] += 1
            continue
        save_verdict(conn, event_id, verdict)
        if not verdict.valid:
            fields = ", ".join(verdict.differing_fields) or "-"
            message = f"event {verdict.status}; differing fields: {fields}"
            record_exception(conn, "validate", message, event_id=event_id, payload=payload)
        counts[verdict.status] += 1
    return counts
