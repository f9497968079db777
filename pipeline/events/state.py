"""Object state from valid events, through the raw layer's own apply function.

`pipeline.raw.apply_events` upserts each snapshot into its table's partition,
newest `(event created, event id)` winning, so applying an event twice, or
events out of order, converges to the same rows. An event whose object the
warehouse lacks first fetches the object as it is now (a `retrieve` row,
versioned by when it was read, so it wins over older snapshots); a failed
fetch is recorded and the event's own snapshot still applies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.catalog import API_VERSION
from pipeline.events.exceptions import record_exception
from pipeline.events.fetch import StripeLookup
from pipeline.events.schema import table_exists
from pipeline.extract.rows import RowContext, raw_row
from pipeline.extract.schema import raw_schema
from pipeline.raw import apply_events, write_partition
from pipeline.raw.snapshots import table_of


def ids_in_warehouse(conn: duckdb.DuckDBPyConnection, table: str, ids: Sequence[str]) -> set[str]:
    if not ids or not table_exists(conn, "raw_stripe", table):
        return set()
    rows = conn.execute(
        f"select id from raw_stripe.{table} where id in (select unnest(?))", [list(ids)]
    ).fetchall()
    return {r[0] for r in rows}


def missing_objects(
    conn: duckdb.DuckDBPyConnection, events: Sequence[Mapping[str, Any]]
) -> list[tuple[str, Mapping[str, Any]]]:
    """(table, event) per object that has no row in its raw table (its first event)."""
    by_table: dict[str, list[Mapping[str, Any]]] = {}
    for event in events:
        table = table_of(event["data"]["object"])
        if table is not None:
            by_table.setdefault(table, []).append(event)
    missing: dict[tuple[str, str], Mapping[str, Any]] = {}
    for table, group in by_table.items():
        present = ids_in_warehouse(conn, table, [e["data"]["object"]["id"] for e in group])
        for event in group:
            object_id = event["data"]["object"]["id"]
            if object_id not in present:
                missing.setdefault((table, object_id), event)
    return [(table, event) for (table, _), event in missing.items()]


def retrieve_current(
    conn: duckdb.DuckDBPyConnection, lookup: StripeLookup, event: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The event's object as Stripe serves it now; None when gone or unreadable."""
    obj = event["data"]["object"]
    try:
        current = lookup.object(obj["id"], event.get("account"), obj.get("object"))
    except Exception as error:  # recorded, the snapshot still applies
        message = f"could not retrieve {obj['id']}: {error}"
        record_exception(conn, "process", message, event_id=event["id"], error=error)
        return None
    if current is None or current.get("deleted") or table_of(current) is None:
        return None
    return current


def fetch_missing(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    lookup: StripeLookup,
    events: Sequence[Mapping[str, Any]],
) -> int:
    """Retrieve and store the current objects the warehouse lacks; how many were stored."""
    now = datetime.now(UTC)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for table, event in missing_objects(conn, events):
        current = retrieve_current(conn, lookup, event)
        if current is not None:
            context = RowContext(event.get("account"), API_VERSION, now, source="retrieve")
            row = raw_row(current, context)
            groups[(table, row["month"])].append(row)
    for (table, month), rows in sorted(groups.items()):
        arrow = pa.Table.from_pylist(rows, schema=raw_schema(table))
        write_partition(raw_dir, conn, table, month, arrow, mode="upsert")
    return sum(len(rows) for rows in groups.values())


def apply_to_raw(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    lookup: StripeLookup,
    events: Sequence[Mapping[str, Any]],
) -> None:
    """Bring raw object state up to date with these (valid) events."""
    fetch_missing(conn, raw_dir, lookup, events)
    apply_events(raw_dir, conn, events)
