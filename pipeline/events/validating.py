"""Validating the events waiting in `events.events` (status `received`)."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import duckdb

from pipeline.events.exceptions import record_exception
from pipeline.events.fetch import StripeLookup
from pipeline.events.schema import transaction
from pipeline.events.validation import Verdict, validate_event

CHUNK = 200


def pending_validation(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(id, payload_received, source) of events not validated yet, oldest first."""
    return conn.execute(
        "select id, payload_received, source from events.events where status = 'received' "
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


def judge(payload: str, source: str, lookup: StripeLookup, clock: int) -> Verdict | Exception:
    """The verdict, or the error that kept us from reaching one."""
    try:
        return validate_event(json.loads(payload), lookup, clock, from_stripe=source == "list")
    except Exception as error:  # every failure becomes a row
        return error


def save_outcome(
    conn: duckdb.DuckDBPyConnection, event_id: str, payload: str, outcome: Verdict | Exception
) -> str:
    """Store a verdict (and an exception row when it is not valid); its count key."""
    if isinstance(outcome, Exception):
        record_exception(
            conn, "validate", str(outcome), event_id=event_id, error=outcome, payload=payload
        )
        return "error"
    save_verdict(conn, event_id, outcome)
    if not outcome.valid:
        fields = ", ".join(outcome.differing_fields) or "-"
        message = f"event {outcome.status}; differing fields: {fields}"
        record_exception(conn, "validate", message, event_id=event_id, payload=payload)
    return outcome.status


def validate_pending(
    conn: duckdb.DuckDBPyConnection,
    lookup: StripeLookup,
    now: int | None = None,
    ids: Sequence[str] | None = None,
    workers: int = 4,
) -> Counter[str]:
    """Validate waiting events (or only `ids`); counts per verdict, `error` for failures.

    An event whose lookup fails (network, 5xx) stays `received` and gets a
    `validate` exception row, so the next run tries again. A forged or
    unprovable event is recorded as an exception too. Events we listed from
    `GET /v1/events` ourselves (`source = 'list'`) are Stripe's copy already:
    only their consistency is checked. Lookups run on `workers` threads
    (two retrieves per event; keep it under the account's rate limit). Verdicts are written a
    chunk at a time, each chunk in one transaction.
    """
    clock = int(time.time()) if now is None else now
    counts: Counter[str] = Counter()
    wanted = None if ids is None else set(ids)
    pending = [row for row in pending_validation(conn) if wanted is None or row[0] in wanted]
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            verdicts = pool.map(lambda row: judge(row[1], row[2], lookup, clock), chunk)
            outcomes = [(i, p, v) for (i, p, _), v in zip(chunk, verdicts, strict=True)]
        with transaction(conn):
            for event_id, payload, outcome in outcomes:
                counts[save_outcome(conn, event_id, payload, outcome)] += 1
    return counts
