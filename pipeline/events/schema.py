"""The events tables in the warehouse, schema `events` (DuckDB).

`raw_stripe.events` belongs to extraction (the raw rows of `GET /v1/events`);
the event *lifecycle* lives apart, so extraction can rewrite its partitions
without touching validation or processing state:

- `events.events`: one row per event id, from webhooks (`source = 'webhook'`)
  or from `GET /v1/events` (`source = 'list'`). Once Stripe's copy is fetched,
  `type`, `created`, `account`, … are its values and `payload_received` is a
  genuine delivery's body when one arrived (else the first body received). `status` moves
  `received` → `validated` | `forged` | `not_found` → `applied` →
  `processed` | `handler_failed`, or `process_failed`. `valid` is null until
  validated; `validation_status` is the consistency verdict (`valid`,
  `object_newer`, `deleted`, `object_not_found`, `unchecked`, or `forged`,
  `not_found`); `differing_fields` names the fields that differ.
- `events.event_deliveries`: every distinct webhook body received per event id
  (`digest` as in `pipeline.events.webhooks.landing`), each judged against Stripe's
  copy of the event: `verdict` `pending` → `genuine` | `forged` | `not_found`.
  The event's own row holds Stripe's copy, so a forged body never shadows it.
- `events.event_processing_exceptions`: every failure at any stage
  (`receive`, `validate`, `process`, `handler`); `source_key` makes imports
  from the landing folder idempotent; `resolved_at` is set when a reprocess
  succeeds.
- `events.event_handler_runs`: one row per (event, handler) that has run, so a
  handler that succeeded is never called again for that event.
- `events.landing_offsets`: how many bytes of each landing file have been
  ingested, so each run reads only what landed since.

The tables declare no keys (a DuckLake has no constraints): each key above is kept
unique by its writers, which insert only rows whose key is not stored yet and
update or replace rows in place. Warehouses created with keys keep them; the same
writes suit both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from pipeline.events.legacy import adopt_legacy_events

DDL = """
create schema if not exists events;
create table if not exists events.events (
    id varchar not null,
    type varchar not null,
    created bigint not null,
    api_version varchar,
    account varchar,
    livemode boolean,
    request_id varchar,
    source varchar not null,
    received_at timestamptz not null,
    payload_received varchar not null,
    payload_refetched varchar,
    object_id varchar,
    valid boolean,
    validation_status varchar,
    differing_fields varchar[],
    validated_at timestamptz,
    processed boolean not null default false,
    processed_at timestamptz,
    status varchar not null default 'received'
);
create table if not exists events.event_processing_exceptions (
    id varchar not null,
    event_id varchar,
    stage varchar not null,
    message varchar not null,
    traceback varchar,
    payload varchar,
    occurred_at timestamptz not null,
    source_key varchar,
    resolved_at timestamptz
);
create table if not exists events.event_deliveries (
    event_id varchar not null,
    digest varchar not null,
    source varchar not null,
    account varchar,
    received_at timestamptz not null,
    payload varchar not null,
    verdict varchar not null default 'pending',
    differing_fields varchar[],
    judged_at timestamptz
);
create table if not exists events.landing_offsets (
    folder varchar not null,
    file varchar not null,
    bytes_read bigint not null
);
create table if not exists events.event_handler_runs (
    event_id varchar not null,
    handler varchar not null,
    status varchar not null,
    attempts integer not null,
    finished_at timestamptz
);
"""

STAGES = ("receive", "validate", "process", "handler")


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the `events` schema and its tables when missing (adopting earlier rows)."""
    from_before = table_exists(conn, "events", "events") and not table_exists(
        conn, "events", "event_deliveries"
    )
    conn.execute(DDL)
    if from_before:
        adopt_legacy_events(conn)


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """`begin` … `commit`, or `rollback` when the block raises."""
    conn.execute("begin transaction")
    try:
        yield conn
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")


def table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )
