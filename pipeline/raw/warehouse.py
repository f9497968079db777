"""Load a partition's Parquet file into `raw_stripe.<table>` in one transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.raw.backend import attach_lake, retry_on_conflict, warehouse_backend
from pipeline.raw.schema import create_table_sql
from pipeline.raw.typed import TYPED_COLUMN, stored_schema, typed_select

Warehouse = Path | duckdb.DuckDBPyConnection


def open_warehouse(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse. Every reader and writer of it opens one here, so
    which database backs the warehouse is decided in one place: the DuckDB file at `path`,
    or, with `WAREHOUSE=ducklake`, the lake (`pipeline.raw.backend`) as the connection's
    default catalog, whatever `path` says."""
    backend = warehouse_backend()
    if not backend.is_lake:
        return duckdb.connect(str(path), read_only=read_only)
    con = duckdb.connect()
    try:
        attach_lake(con, backend, read_only=read_only)
    except BaseException:
        con.close()
        raise
    return con


def warehouse_exists(path: Path | str) -> bool:
    """Whether there is a warehouse to read: the DuckDB file, or (DuckLake) always, as the
    lake is created when first attached."""
    return warehouse_backend().is_lake or Path(path).exists()


def empty_lake() -> list[str]:
    """On DuckLake, every schema of the lake dropped (the file backend's warehouse is a file
    under `data/`, removed with it); the schemas dropped."""
    if not warehouse_backend().is_lake:
        return []
    with open_warehouse("") as con:
        schemas = [row[0] for row in con.execute(
            "select schema_name from information_schema.schemata where catalog_name = "
            "current_database() and schema_name not in ('main', 'information_schema', "
            "'pg_catalog') order by 1").fetchall()]  # fmt: skip
        for schema in schemas:
            con.execute(f'drop schema "{schema}" cascade')
    return schemas


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
    """`delete where month` + `insert` from the Parquet file, in one transaction (again when
    a concurrent writer's commit conflicts, on DuckLake); a file whose `obj` is of an older
    catalogue has it derived again from its payloads."""
    parquet = "read_parquet(?, hive_partitioning = false)"
    rows = (
        f"select * from {parquet}" if file_is_typed(table, path) else typed_select(table, parquet)
    )
    with connected(warehouse) as con:
        retry_on_conflict(lambda: _replace_month(con, table, month, rows, path))


def _replace_month(
    con: duckdb.DuckDBPyConnection, table: str, month: str, rows: str, path: Path
) -> None:
    with transaction(con):
        con.execute("create schema if not exists raw_stripe")
        con.execute(create_table_sql(table))
        con.execute(f"delete from raw_stripe.{table} where month = ?", [month])
        con.execute(f"insert into raw_stripe.{table} by name {rows}", [str(path)])


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """`begin` … `commit`, rolled back when the block raises (a failed commit ends it)."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.TransactionException):
            con.execute("rollback")
        raise
