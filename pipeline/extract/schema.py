"""The columns of every raw row, for Arrow and Parquet: what extraction produces and the
raw layer stores (DuckDB's side is `pipeline.raw.schema`)."""

from __future__ import annotations

import pyarrow as pa

from pipeline.catalog import raw_columns

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
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int64": pa.int64(),
    "bool": pa.bool_(),
}
"""The catalogue's column type names (`pipeline.catalog.Column`) as Arrow types."""


def raw_schema(table: str) -> pa.Schema:
    """Arrow schema of a raw table (the common columns plus the catalogue's for it)."""
    extra = [pa.field(name, ARROW_TYPES[type_]) for name, type_ in raw_columns(table)]
    return pa.schema([*RAW_FIELDS, *extra])
