"""Rows of `events.events` and `events.event_deliveries`, typed before they are stored.

Every payload passes the envelope check (`pipeline.events.webhooks.envelope`) first,
so the columns can hold what it carries; should a row still not convert, it
alone becomes a `receive` exception and the others are stored. An event id
gets one `events.events` row, the first to arrive (webhook or list); its
columns are replaced by Stripe's copy once validation has it. Each distinct
webhook body of an id is a delivery row. Only rows whose key is not stored
yet are inserted, the first of each key in a batch: the writes keep keys unique,
not constraints, so ingesting the same landing files twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.events.exceptions import record_exception
from pipeline.events.schema import table_exists
from pipeline.events.webhooks.envelope import check_envelope

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
DELIVERY_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("digest", pa.string()),
        ("source", pa.string()),
        ("account", pa.string()),
        ("received_at", pa.timestamp("us", tz="UTC")),
        ("payload", pa.string()),
    ]
)
DELIVERY_KEY = ("event_id", "digest")


def request_id(event: Mapping[str, Any]) -> str | None:
    request = event.get("request")
    return request.get("id") if isinstance(request, Mapping) else request


def event_columns(event: Mapping[str, Any]) -> tuple:
    """type, created, api_version, account, livemode, request_id, object_id."""
    obj = event["data"]["object"]
    return (
        event["type"], event["created"], event.get("api_version"), event.get("account"),
        event.get("livemode"), request_id(event), obj.get("id"),
    )  # fmt: skip


def event_row(payload: str, source: str, received_at: datetime) -> tuple:
    """The `events.events` columns known on arrival, from the event's JSON text."""
    event = check_envelope(json.loads(payload))
    kind, created, version, account, livemode, request, object_id = event_columns(event)
    return (
        event["id"], kind, created, version, account, livemode, request, source,
        received_at, payload, object_id,
    )  # fmt: skip


def _table(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    arrays = [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def typed(rows: list[tuple], schema: pa.Schema) -> tuple[pa.Table, list[tuple[tuple, Exception]]]:
    """The rows as one Arrow table, and the rows that would not convert (with why)."""
    try:
        return _table(rows, schema), []
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        good, bad = [], []
        for row in rows:
            try:
                _table([row], schema)
                good.append(row)
            except (pa.ArrowException, OverflowError, TypeError, ValueError) as error:
                bad.append((row, error))
        return _table(good, schema), bad


def _insert(
    conn: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], schema, key: tuple[str, ...]
) -> int:
    """Insert typed rows (new keys only); unconvertible ones become exceptions."""
    incoming, bad = typed(rows, schema)
    for row, error in bad:
        digest = hashlib.sha256(repr(row).encode()).hexdigest()[:32]
        record_exception(
            conn, "receive", f"{table} row for {str(row[0])[:80]} not stored: {error}",
            error=error, payload=str(row)[:4096], source_key=f"unstorable:{table}:{digest}",
        )  # fmt: skip
    return insert_new_keys(conn, table, incoming, key)


def insert_new_keys(
    conn: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, key: tuple[str, ...]
) -> int:
    """Insert the rows whose key `table` lacks, the first of each key in the batch's
    order (no constraint needed); the number inserted."""
    if not rows.num_rows:
        return 0
    columns = ", ".join(rows.schema.names)
    stored = " and ".join(f"stored.{column} = incoming_rows.{column}" for column in key)
    order = pa.array(range(rows.num_rows), type=pa.int64())
    conn.register("incoming_rows", rows.append_column("batch_order", order))
    try:
        return conn.execute(
            f"insert into {table} ({columns}) select {columns} from incoming_rows "
            f"where not exists (select 1 from {table} as stored where {stored}) "
            f"qualify row_number() over (partition by {', '.join(key)} order by batch_order) = 1"
        ).fetchone()[0]
    finally:
        conn.unregister("incoming_rows")


def record_events(conn: duckdb.DuckDBPyConnection, rows: Iterable[tuple]) -> int:
    """Insert event rows whose id is new (the first per id); the number inserted."""
    rows = list({row[0]: row for row in reversed(list(rows))}.values())[::-1]
    return _insert(conn, "events.events", rows, ROW_SCHEMA, ("id",))


def record_deliveries(conn: duckdb.DuckDBPyConnection, rows: Iterable[tuple]) -> int:
    """Insert delivery rows whose (event id, digest) is new; the number inserted."""
    rows = list({(r[0], r[1]): r for r in reversed(list(rows))}.values())[::-1]
    return _insert(conn, "events.event_deliveries", rows, DELIVERY_SCHEMA, DELIVERY_KEY)


def listed_rows(
    conn: duckdb.DuckDBPyConnection, payloads: Iterable[tuple[str, datetime]]
) -> list[tuple]:
    """Event rows of listed payloads; a payload that fails the envelope is an exception."""
    rows = []
    for payload, at in payloads:
        try:
            rows.append(event_row(payload, "list", at))
        except Exception as error:  # one bad listed event fails alone
            digest = hashlib.sha256(str(payload).encode()).hexdigest()[:32]
            record_exception(
                conn, "receive", f"listed event refused: {error}"[:500], error=error,
                payload=str(payload)[:4096], source_key=f"listed:{digest}",
            )  # fmt: skip
    return rows


def record_listed_events(
    conn: duckdb.DuckDBPyConnection, payloads: Iterable[str], received_at: datetime | None = None
) -> int:
    """Events read from `GET /v1/events` (JSON text each), as `source = 'list'`."""
    at = received_at or datetime.now(UTC)
    return record_events(conn, listed_rows(conn, ((p, at) for p in payloads)))


def ingest_listed(conn: duckdb.DuckDBPyConnection) -> int:
    """Events extraction stored in `raw_stripe.events` (`source = 'list'`), new ids only."""
    if not table_exists(conn, "raw_stripe", "events"):
        return 0
    rows = conn.execute(
        "select payload, extracted_at from raw_stripe.events "
        "where id not in (select id from events.events)"
    ).fetchall()
    return record_events(conn, listed_rows(conn, rows))
