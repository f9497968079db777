"""Calling the registered handlers exactly once per (event, handler).

Each handler runs in its own transaction together with the write of its
`events.event_handler_runs` row marked `succeeded` (updated, else inserted); a
failure rolls both back, records a `handler` exception and a `failed` run. A
succeeded run is never repeated, so re-dispatching an event (after a crash, or
by reprocess) only calls the handlers that have not succeeded.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import duckdb

from pipeline.events.exceptions import record_exception
from pipeline.events.handlers import REGISTRY, Handler, HandlerRegistry, handler_name
from pipeline.events.schema import transaction


def record_run(conn: duckdb.DuckDBPyConnection, event_id: str, handler: str, status: str) -> None:
    """The run's row: one more attempt with this status, or the first (no upsert syntax,
    so it works without a key constraint); call it inside a transaction."""
    at = datetime.now(UTC)
    updated = conn.execute(
        "update events.event_handler_runs set status = ?, attempts = attempts + 1, "
        "finished_at = ? where event_id = ? and handler = ?",
        [status, at, event_id, handler],
    ).fetchone()[0]
    if not updated:
        conn.execute(
            "insert into events.event_handler_runs "
            "(event_id, handler, status, attempts, finished_at) values (?, ?, ?, 1, ?)",
            [event_id, handler, status, at],
        )


def succeeded_handlers(conn: duckdb.DuckDBPyConnection, event_id: str) -> set[str]:
    rows = conn.execute(
        "select handler from events.event_handler_runs where event_id = ? and status = 'succeeded'",
        [event_id],
    ).fetchall()
    return {r[0] for r in rows}


def run_handler(conn: duckdb.DuckDBPyConnection, handler: Handler, event: dict[str, Any]) -> bool:
    """Call one handler in a transaction with its run record; False when it raised."""
    name = handler_name(handler)
    conn.execute("begin transaction")
    try:
        handler(event, conn)
        record_run(conn, event["id"], name, "succeeded")
        conn.execute("commit")
        return True
    except Exception as error:  # a handler failure is a row, not a crash
        conn.execute("rollback")
        with transaction(conn):
            record_run(conn, event["id"], name, "failed")
            record_exception(
                conn,
                "handler",
                f"{name}: {error}",
                event_id=event["id"],
                error=error,
                payload=json.dumps(event),
            )
        return False


def dispatch_event(
    conn: duckdb.DuckDBPyConnection, event: dict[str, Any], registry: HandlerRegistry
) -> bool:
    """Run the handlers of the event's type not yet succeeded; True when all have."""
    handlers = registry.handlers_for(event["type"])
    done = succeeded_handlers(conn, event["id"]) if handlers else set()
    ok = True
    for handler in handlers:
        if handler_name(handler) not in done:
            ok = run_handler(conn, handler, event) and ok
    return ok


def dispatch_applied(
    conn: duckdb.DuckDBPyConnection, registry: HandlerRegistry = REGISTRY
) -> Counter[str]:
    """Dispatch every event whose state is applied but whose handlers have not all run.

    Statuses are written together at the end; a crash before that leaves the
    events `applied`, and the next dispatch skips the handlers that succeeded.
    """
    rows = conn.execute(
        "select id, payload_refetched from events.events where status = 'applied' "
        "order by created, id"
    ).fetchall()
    outcome = {}
    for event_id, payload in rows:
        ok = dispatch_event(conn, json.loads(payload), registry)
        outcome[event_id] = "processed" if ok else "handler_failed"
    with transaction(conn):
        for status in ("processed", "handler_failed"):
            ids = [i for i, s in outcome.items() if s == status]
            conn.execute(
                "update events.events set status = ? where id in (select unnest(?))", [status, ids]
            )
    return Counter(outcome.values())
