"""The raw layer's files and DuckDB tables: the partition file name and each table's DDL."""

from __future__ import annotations

import pyarrow as pa

from pipeline.extract.schema import raw_schema

PARTITION_FILE = "part-0.parquet"

DUCKDB_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.bool_(): "boolean",
    pa.timestamp("us", tz="UTC"): "timestamptz",
}


def create_table_sql(table: str) -> str:
    columns = ", ".join(f"{f.name} {DUCKDB_TYPES[f.type]}" for f in raw_schema(table))
    return f"create table if not exists raw_stripe.{table} ({columns})"
