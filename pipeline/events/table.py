"""Filling `events.events`: from the landing folder and from listed events.

`ingest_listed` takes what extraction listed into `raw_stripe.events`.
The first copy of an event id wins (webhook or list); later copies are
ignored, so ingesting the same landing files twice changes nothing. Torn
landing lines and refused deliveries become `receive`-stage exceptions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.events.exceptions import record_exception
from pipeline.events.schema import table_exists, transaction
from pipeline.webhooks.journal import TornLine, read_journal


@dataclass(frozen=True)
class IngestCounts:
    events: int
    rejections: int
    torn_lines: int


def event_row(payload: str, source: str, received_at: datetime) -> tuple:
    """The `events.events` columns known on arrival, from the event's JSON text."""
    event = json.loads(payload)
    request = event.get("request")
    request_id = request.get("id") if isinstance(request, Mapping) else request
    obj = (event.get("data") or {}).get("object") or {}
    return (
        event["id"],
        event["type"],
        event["created"],
        event.get("api_version"),
        event.get("account"),
        event.get("livemode"),
        request_id,
        source,
        received_at,
        payload,
        obj.get("id"),
    )


ROW_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("type", pa.string()),
        ("created", pa.int64()),
        ("api_version", pa.string()),
        ("account", pa.string()),
        ("livemode", pa.bool_()),
        ("request_id", pa.string()),
        ("source", pa.string()),
        ("received_at", pa.timestamp("us", tz="UTC")),
        ("payload_received", pa.string()),
        ("object_id", pa.string()),
    ]
)


def record_events(conn: duckdb.DuckDBPyConnection, rows: Iterable[tuple]) -> int:
    """Insert event rows whose id is new (one statement); the number inserted."""
    rows = list({row[0]: row for row in reversed(list(rows))}.values())[::-1]  # first per id
    if not rows:
        return 0
    columns = list(zip(*rows, strict=True))
    incoming = pa.Table.from_arrays(
        [pa.array(column, type=f.type) for column, f in zip(columns, ROW_SCHEMA, strict=True)],
        schema=ROW_SCHEMA,
    )
    before = conn.execute("select count(*) from events.events").fetchone()[0]
    conn.register("incoming_events", incoming)
    try:
        conn.execute(
            f"insert into events.events ({', '.join(ROW_SCHEMA.names)}) "
            "select * from incoming_events on conflict do nothing"
        )
    finally:
        conn.unregister("incoming_events")
    return conn.execute("select count(*) from events.events").fetchone()[0] - before


def record_listed_events(
    conn: duckdb.DuckDBPyConnection, payloads: Iterable[str], received_at: datetime | None = None
) -> int:
    """Events read from `GET /v1/events` (JSON text each), as `source = 'list'`."""
    at = received_at or datetime.now(UTC)
    return record_events(conn, (event_row(p, "list", at) for p in payloads))


def ingest_listed(conn: duckdb.DuckDBPyConnection) -> int:
    """Events extraction stored in `raw_stripe.events` (`source = 'list'`), new ids only."""
    if not table_exists(conn, "raw_stripe", "events"):
        return 0
    rows = conn.execute(
        "select payload, extracted_at from raw_stripe.events "
        "where id not in (select id from events.events)"
    ).fetchall()
    return record_events(conn, (event_row(payload, "list", at) for payload, at in rows))


def ingest_landing(conn: duckdb.DuckDBPyConnection, data_dir: Path) -> IngestCounts:
    """Load what landed since the last call: deliveries into events, refusals and torn
    lines into exceptions, and the new read offsets — all in one transaction."""
    landing = Path(data_dir) / "landing"
    offsets = {folder: read_offsets(conn, folder) for folder in ("webhooks", "rejections")}
    torn: list[TornLine] = []
    deliveries = list(read_journal(landing / "webhooks", torn, offsets["webhooks"]))
    refusals = list(read_journal(landing / "rejections", torn, offsets["rejections"]))
    rows = [
        event_row(r["body"], "webhook", datetime.fromisoformat(r["received_at"]))
        for r in deliveries
        if "body" in r
    ]
    with transaction(conn):
        inserted = record_events(conn, rows)
        for record in refusals:
            _record_rejection(conn, record)
        for line in torn:
            name = f"{line.path.parent.name}/{line.path.name}"
            message = f"torn landing line skipped: {name} at byte {line.offset}"
            key = f"torn:{name}:{line.offset}"
            record_exception(conn, "receive", message, payload=line.text, source_key=key)
        for folder, files in offsets.items():
            save_offsets(conn, folder, files)
    return IngestCounts(events=inserted, rejections=len(refusals), torn_lines=len(torn))


def read_offsets(conn: duckdb.DuckDBPyConnection, folder: str) -> dict[str, int]:
    rows = conn.execute(
        "select file, bytes_read from events.landing_offsets where folder = ?", [folder]
    ).fetchall()
    return dict(rows)


def save_offsets(conn: duckdb.DuckDBPyConnection, folder: str, files: dict[str, int]) -> None:
    if files:
        conn.executemany(
            "insert or replace into events.landing_offsets values (?, ?, ?)",
            [(folder, name, size) for name, size in files.items()],
        )


def _record_rejection(conn: duckdb.DuckDBPyConnection, record: Mapping[str, Any]) -> None:
    record_exception(
        conn,
        "receive",
        f"delivery refused: {record['reason']} ({record.get('detail')}); "
        f"{record.get('size')} bytes from {record.get('source_address')}",
        event_id=record.get("event_id"),
        payload=record.get("body_prefix"),
        source_key=f"rejection:{record['rejection_id']}",
        occurred_at=datetime.fromisoformat(record["received_at"]),
    )
