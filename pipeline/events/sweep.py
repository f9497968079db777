"""One pass over the events: land → validate → process, with counts to report.

The Dagster assets wrap these steps one by one; `run_events` chains them for
scripts and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.events.fetch import StripeLookup
from pipeline.events.handlers import REGISTRY, HandlerRegistry
from pipeline.events.ingest import IngestCounts, ingest_landing
from pipeline.events.processing import process_pending
from pipeline.events.schema import ensure_schema
from pipeline.events.table import ingest_listed
from pipeline.events.validate import validate_pending
from pipeline.raw.purge_register import PurgeRegister
from pipeline.raw.warehouse import open_warehouse


@dataclass(frozen=True)
class EventRunSummary:
    ingested: IngestCounts
    listed: int
    validation: dict[str, int]
    processing: dict[str, int]
    statuses: dict[str, int] = field(default_factory=dict)


def counts_by(conn: duckdb.DuckDBPyConnection, column: str) -> dict[str, int]:
    """Events per value of `status`, `type` or `validation_status`."""
    if column not in ("status", "type", "validation_status"):
        raise ValueError(column)
    rows = conn.execute(
        f"select coalesce({column}, 'none'), count(*) from events.events group by 1 order by 1"
    ).fetchall()
    return dict(rows)


def run_events(
    warehouse: Path | duckdb.DuckDBPyConnection,
    data_dir: Path,
    lookup: StripeLookup,
    *,
    raw_dir: Path | None = None,
    now: int | None = None,
    registry: HandlerRegistry = REGISTRY,
) -> EventRunSummary:
    """Ingest `<data_dir>/landing` and `raw_stripe.events`, validate and process.

    Raw Parquet goes to `raw_dir` (default `<data_dir>/raw`, as extraction writes it).
    """
    own = not isinstance(warehouse, duckdb.DuckDBPyConnection)
    if own:
        Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    conn = open_warehouse(warehouse) if own else warehouse
    try:
        ensure_schema(conn)
        ingested = ingest_landing(conn, data_dir)
        listed = ingest_listed(conn)
        purged = PurgeRegister(Path(data_dir)).customer_ids()
        validation = validate_pending(conn, lookup, now, purged=purged)
        processing = process_pending(conn, raw_dir or Path(data_dir) / "raw", lookup, registry)
        statuses = counts_by(conn, "status")
        return EventRunSummary(ingested, listed, dict(validation), dict(processing), statuses)
    finally:
        if own:
            conn.close()
