"""Apply event snapshots to the raw layer: the thin write around `snapshots`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.extract.schema import raw_schema
from pipeline.raw.partition import PartitionResult, Warehouse, write_partition
from pipeline.raw.snapshots import latest_rows, snapshot_rows


def apply_events(
    raw_dir: Path,
    warehouse: Warehouse,
    events: Iterable[Mapping[str, Any]],
    *,
    extracted_at: datetime | None = None,
) -> list[PartitionResult]:
    """Upsert each event's object into its table's partition; newest snapshot wins."""
    rows = latest_rows(snapshot_rows(events, extracted_at or datetime.now(UTC)))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row.pop("table"), row["month"])].append(row)
    results = []
    for (table, month), group in sorted(groups.items()):
        arrow = pa.Table.from_pylist(group, schema=raw_schema(table))
        results.append(write_partition(raw_dir, warehouse, table, month, arrow, mode="upsert"))
    return results
