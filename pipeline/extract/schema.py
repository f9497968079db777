"""The columns of every raw row, for Arrow and Parquet: what extraction produces and the
raw layer stores (DuckDB's side is `pipeline.raw.schema`)."""

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


def raw_schema(table: str) -> pa.Schema:
    """Arrow schema of a raw table (the common columns plus the table's own)."""
    return pa.schema([*RAW_FIELDS, *EXTRA_FIELDS.get(table, ())])
