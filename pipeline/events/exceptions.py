"""`events.event_processing_exceptions`: one row per failure, never dropped."""

from __future__ import annotations

import traceback as tb
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb

from pipeline.events.schema import STAGES

INSERT_NEW = """
insert into events.event_processing_exceptions
    (id, event_id, stage, message, traceback, payload, occurred_at, source_key)
select * from (values (?, ?, ?, ?, ?, ?, ?, ?))
    as incoming (id, event_id, stage, message, traceback, payload, occurred_at, source_key)
where not exists (
    select 1 from events.event_processing_exceptions as stored where stored.id = incoming.id
) and not exists (
    select 1 from events.event_processing_exceptions as stored
    where stored.source_key = incoming.source_key
)
"""


def record_exception(
    conn: duckdb.DuckDBPyConnection,
    stage: str,
    message: str,
    *,
    event_id: str | None = None,
    error: BaseException | None = None,
    payload: str | None = None,
    source_key: str | None = None,
    occurred_at: datetime | None = None,
) -> None:
    """Insert a failure row; a `source_key` already recorded is not inserted twice (the
    insert checks: a null key matches nothing, and there is no constraint)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    trace = "".join(tb.format_exception(error)) if error is not None else None
    conn.execute(
        INSERT_NEW,
        [
            uuid.uuid4().hex,
            event_id,
            stage,
            message,
            trace,
            payload,
            occurred_at or datetime.now(UTC),
            source_key,
        ],
    )


def resolve_exceptions(conn: duckdb.DuckDBPyConnection, event_ids: Sequence[str]) -> None:
    """Mark the open failures of these events resolved (they were reprocessed).

    A forged delivery beside a genuine event is a verdict, not a failure: its row stays open.
    """
    if event_ids:
        conn.execute(
            "update events.event_processing_exceptions set resolved_at = ? "
            "where resolved_at is null and event_id in (select unnest(?)) "
            "and coalesce(source_key, '') not like 'delivery:%'",
            [datetime.now(UTC), list(event_ids)],
        )


def open_exceptions(conn: duckdb.DuckDBPyConnection, stage: str | None = None) -> list[tuple]:
    """(event_id, stage, message) of failures not yet resolved, oldest first."""
    sql = "select event_id, stage, message from events.event_processing_exceptions "
    sql += "where resolved_at is null" + (" and stage = ?" if stage else "")
    return conn.execute(sql + " order by occurred_at", [stage] if stage else []).fetchall()
