"""Apply purges: every raw partition, event and landing line naming a purged customer.

Raw writes blank purged customers as they go (`pipeline.raw.partition` calls
`pipeline.raw.blanking.blank_purged` on every batch), so a purge stays in force when the customer is
listed again or arrives in an event. `purge_customer` checks the id, records
the purge and rewrites what is already stored: raw partitions, the event
tables' payloads and the landing files. Payloads that hold nothing of a purged
customer are kept byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.purge.event_tables import blank_event_tables
from pipeline.purge.guard import (
    PurgeRefused,
    check_customer_id,
    raw_tables_present,
    refuse_unseen,
    warehouse_has_seen,
)
from pipeline.purge.landing import LandingLineTooLong, apply_landing, plan_landing
from pipeline.raw.blanking import quoted
from pipeline.raw.files import file_lock
from pipeline.raw.partition import partition_path, purge_lock_path, write_partition
from pipeline.raw.purge_register import PurgeRegister, sync_to_warehouse
from pipeline.raw.warehouse import open_warehouse, warehouse_exists


@dataclass
class PurgeResult:
    """What a purge rewrote: raw partitions per table, events, landing lines."""

    partitions: dict[str, int] = field(default_factory=dict)
    events: int = 0
    landing_lines: int = 0


def partitions_naming(con: duckdb.DuckDBPyConnection, customer_id: str) -> list[tuple[str, str]]:
    """(table, month) of every raw partition whose payloads name the customer."""
    found = []
    for table in raw_tables_present(con):
        months = con.execute(
            f"select distinct month from raw_stripe.{table} where contains(payload, ?)",
            [quoted(customer_id)],
        ).fetchall()
        found += [(table, month) for (month,) in months]
    return sorted(found)


def purge_customer(
    data_dir: Path, warehouse: Path, customer_id: str, *, force: bool = False
) -> PurgeResult:
    """Check, record the purge, rewrite raw partitions, events and landing lines.

    Raises `PurgeRefused` (nothing recorded, nothing written) for an id Stripe
    could not have issued, a customer the warehouse never saw (unless `force`)
    or a landing line that cannot be blanked in place.
    """
    check_customer_id(customer_id)
    if not force and not warehouse_exists(warehouse):
        raise refuse_unseen(customer_id)
    register = PurgeRegister(data_dir)
    purged = register.customer_ids() | {customer_id}
    with open_warehouse(warehouse) as con:
        if not force and not warehouse_has_seen(con, customer_id):
            raise refuse_unseen(customer_id)
        try:
            landing = plan_landing(data_dir, purged)
        except LandingLineTooLong as error:
            raise PurgeRefused(f"landing file {error}; nothing purged") from None
        with file_lock(purge_lock_path(Path(data_dir) / "raw")):  # no raw write in between
            register.add(customer_id)
            result = PurgeResult(landing_lines=apply_landing(landing))  # before events
            sync_to_warehouse(register, con)
            result.partitions = _rewrite_partitions(Path(data_dir) / "raw", con, customer_id)
        result.events = blank_event_tables(con, purged)
    return result


def _rewrite_partitions(
    raw_dir: Path, con: duckdb.DuckDBPyConnection, customer_id: str
) -> dict[str, int]:
    rewritten: dict[str, int] = {}
    for table, month in partitions_naming(con, customer_id):
        source = pq.read_table(partition_path(raw_dir, table, month))
        write_partition(raw_dir, con, table, month, source, mode="upsert")
        rewritten[table] = rewritten.get(table, 0) + 1
    return rewritten
