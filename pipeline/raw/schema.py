"""The raw layer's files and DuckDB tables: the partition file name and each table's DDL."""

from __future__ import annotations

import pyarrow as pa

from pipeline.extract.schema import raw_schema
from pipeline.raw.typed import TYPED_COLUMN, typed_type

PARTITION_FILE = "part-0.parquet"

DUCKDB_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.bool_(): "boolean",
    pa.timestamp("us", tz="UTC"): "timestamptz",
}


def column_definitions(table: str) -> list[str]:
    """`name type` of each column of `raw_stripe.<table>`: `obj` right after `payload`."""
    columns = []
    for f in raw_schema(table):
        columns.append(f"{f.name} {DUCKDB_TYPES[f.type]}")
        if f.name == "payload" and (struct := typed_type(table)):
            columns.append(f"{TYPED_COLUMN} {struct}")
    return columns


def create_table_sql(table: str) -> str:
    return f"create table if not exists raw_stripe.{table} ({', '.join(column_definitions(table))})"
