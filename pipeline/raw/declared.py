"""Every raw table declared, empty until loaded: dbt's sources exist on any warehouse.

An account without an object, an object not extracted yet, or a purge that runs before the
first extraction leaves a raw table missing; dbt's staging view over it would fail the
build. `create table if not exists` for each leaves loaded tables alone.
"""

from __future__ import annotations

import duckdb

from pipeline.catalog import raw_tables
from pipeline.raw.backend import retry_on_conflict
from pipeline.raw.balance_snapshots import CREATE_TABLE as CREATE_BALANCE_SNAPSHOTS
from pipeline.raw.schema import create_table_sql
from pipeline.raw.warehouse import Warehouse, connected, transaction


def declare_raw_tables(warehouse: Warehouse) -> None:
    """Create `raw_stripe` and each raw table it lacks, in one transaction (again when a
    concurrent writer's commit conflicts, on DuckLake)."""
    with connected(warehouse) as con:
        retry_on_conflict(lambda: _declare(con))


def _declare(con: duckdb.DuckDBPyConnection) -> None:
    with transaction(con):
        con.execute("create schema if not exists raw_stripe")
        for table in raw_tables():
            con.execute(create_table_sql(table))
        con.execute(CREATE_BALANCE_SNAPSHOTS)
