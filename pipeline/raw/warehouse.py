"""Load a partition's Parquet file into `raw_stripe.<table>` in one transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.raw.schema import create_table_sql
from pipeline.raw.typed import TYPED_COLUMN, stored_schema, typed_select

Warehouse = Path | duckdb.DuckDBPyConnection


def open_warehouse(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse. Every reader and writer of it opens one here, so
    which database backs the warehouse is decided in one place (the DuckDB file at
    `path`)."""
    return duckdb.connect(str(path), read_only=read_only)


@contextlib.contextmanager
def connected(warehouse: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse's connection: the one given, or one opened (and closed) here."""
    if isinstance(warehouse, duckdb.DuckDBPyConnection):
        yield warehouse
        return
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    con = open_warehouse(warehouse)
    try:
        yield con
    finally:
        con.close()


def file_is_typed(table: str, path: Path) -> bool:
    """Whether a partition file's `obj` is of the catalogue's typed fields (footer only)."""
    expected = stored_schema(table)
    if TYPED_COLUMN not in expected.names:
        return True
    held = pq.read_schema(path)
    return (
        TYPED_COLUMN in held.names
        and held.field(TYPED_COLUMN).type == expected.field(TYPED_COLUMN).type
    )


def load_partition(warehouse: Warehouse, table: str, month: str, path: Path) -> None:
    """`delete where month` + `insert` from the Parquet file, in one transaction; a file
    whose `obj` is of an older catalogue has it derived again from its payloads."""
    parquet = "read_parquet(?, hive_partitioning = false)"
    rows = (
        f"select * from {parquet}" if file_is_typed(table, path) else typed_select(table, parquet)
    )
    with connected(warehouse) as con:
        try:
            con.execute("begin transaction")
            con.execute("create schema if not exists raw_stripe")
            con.execute(create_table_sql(table))
            con.execute(f"delete from raw_stripe.{table} where month = ?", [month])
            con.execute(f"insert into raw_stripe.{table} by name {rows}", [str(path)])
            con.execute("commit")
        except BaseException:
            with contextlib.suppress(duckdb.TransactionException):  # a failed commit ends it
                con.execute("rollback")
            raise
