"""Apply purges to the raw layer: every partition naming a purged customer is rewritten.

Raw writes blank purged customers as they go (`pipeline.raw.partition` calls
`blank_purged` on every batch), so a purge stays in force when the customer is
listed again or arrives in an event. `purge_customer` records the purge and
rewrites what is already stored; `events.events` payloads are blanked too.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.purge.blank import blank, mentions
from pipeline.purge.register import PurgeRegister, sync_to_warehouse


def blank_purged(table: pa.Table, purged: frozenset[str]) -> pa.Table:
    """The raw rows with purged customers' personal data blanked in `payload`."""
    payloads = table.column("payload").to_pylist()
    if not any(p and mentions(p, purged) for p in payloads):
        return table
    blanked = [
        json.dumps(blank(json.loads(p), purged), separators=(",", ":"))
        if p and mentions(p, purged) else p
        for p in payloads
    ]  # fmt: skip
    index = table.schema.get_field_index("payload")
    return table.set_column(index, table.schema.field(index), pa.array(blanked, pa.string()))


def partitions_naming(con: duckdb.DuckDBPyConnection, customer_id: str) -> list[tuple[str, str]]:
    """(table, month) of every raw partition whose payloads name the customer."""
    from pipeline.extract_to_raw import raw_tables

    present = {t for (t,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw_stripe'"
    ).fetchall()}  # fmt: skip
    tables = [t for t in raw_tables() if t in present]
    found = []
    for table in tables:
        months = con.execute(
            f"select distinct month from raw_stripe.{table} where contains(payload, ?)",
            [customer_id],
        ).fetchall()
        found += [(table, month) for (month,) in months]
    return sorted(found)


def purge_customer(data_dir: Path, warehouse: Path, customer_id: str) -> dict[str, int]:
    """Record the purge, rewrite the raw partitions and event payloads naming the customer."""
    from pipeline.raw.partition import partition_path, write_partition

    register = PurgeRegister(data_dir)
    register.add(customer_id)
    raw_dir, rewritten = Path(data_dir) / "raw", {}
    with duckdb.connect(str(warehouse)) as con:
        sync_to_warehouse(register, con)
        for table, month in partitions_naming(con, customer_id):
            source = pq.read_table(partition_path(raw_dir, table, month))
            write_partition(raw_dir, con, table, month, source, mode="upsert")
            rewritten[table] = rewritten.get(table, 0) + 1
        _blank_events_table(con, frozenset({customer_id}))
    return rewritten


def _blank_events_table(con: duckdb.DuckDBPyConnection, purged: frozenset[str]) -> None:
    exists = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'events' and table_name = 'events'"
    ).fetchone()[0]
    if not exists:
        return
    for column in ("payload_received", "payload_refetched"):
        rows = con.execute(
            f"select id, {column} from events.events where contains({column}, ?)",
            [next(iter(purged))],
        ).fetchall()
        for event_id, payload in rows:
            blanked = json.dumps(blank(json.loads(payload), purged), separators=(",", ":"))
            con.execute(f"update events.events set {column} = ? where id = ?", [blanked, event_id])
