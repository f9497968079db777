"""The raw layer's columns, once, for Arrow/Parquet and DuckDB (docs/architecture.md)."""

from __future__ import annotations

import pyarrow as pa

RAW_FIELDS: tuple[pa.Field, ...] = (
    pa.field("id", pa.string(), nullable=False),
    pa.field("created", pa.int64(), nullable=False),
    pa.field("month", pa.string(), nullable=False),
    pa.field("livemode", pa.bool_()),
    pa.field("account", pa.string()),
    pa.field("api_version", pa.string()),
    pa.field("extracted_at", pa.timestamp("us", tz="UTC")),
    pa.field("source", pa.string()),
    pa.field("is_deleted", pa.bool_()),
    pa.field("event_id", pa.string()),
    pa.field("event_created", pa.int64()),
    pa.field("payload", pa.string()),
)
EXTRA_FIELDS: dict[str, tuple[pa.Field, ...]] = {
    "payout_balance_transactions": (
        pa.field("payout_id", pa.string()),
        pa.field("balance_transaction_id", pa.string()),
    ),
}
SOURCES = ("list", "event", "webhook", "retrieve")
PARTITION_FILE = "part-0.parquet"


def raw_schema(table: str) -> pa.Schema:
    """Arrow schema of a raw table (the common columns plus the table's own)."""
    return pa.schema([*RAW_FIELDS, *EXTRA_FIELDS.get(table, ())])


DUCKDB_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.bool_(): "boolean",
    pa.timestamp("us", tz="UTC"): "timestamptz",
}


def create_table_sql(table: str) -> str:
    columns = ", ".join(f"{f.name} {DUCKDB_TYPES[f.type]}" for f in raw_schema(table))
    return f"create table if not exists raw_stripe.{table} ({columns})"
