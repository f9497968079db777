"""Load a partition's Parquet file into `raw_stripe.<table>` in one transaction."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb

from pipeline.raw.schema import create_table_sql

Warehouse = Path | duckdb.DuckDBPyConnection


def load_partition(warehouse: Warehouse, table: str, month: str, path: Path) -> None:
    """`delete where month` + `insert` from the Parquet file, in one transaction."""
    con = warehouse if isinstance(warehouse, duckdb.DuckDBPyConnection) else None
    if con is None:
        Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(warehouse))
    try:
        con.execute("begin transaction")
        con.execute("create schema if not exists raw_stripe")
        con.execute(create_table_sql(table))
        con.execute(f"delete from raw_stripe.{table} where month = ?", [month])
        con.execute(
            f"insert into raw_stripe.{table} by name "
            "select * from read_parquet(?, hive_partitioning = false)",
            [str(path)],
        )
        con.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.TransactionException):  # a failed commit ends it
            con.execute("rollback")
        raise
    finally:
        if con is not warehouse:
            con.close()
