"""The raw layer: Parquet partitions and `raw_stripe.*` DuckDB tables (no Dagster).

`pipeline.raw.materialize.materialize_month` (extract + write) is imported from its
module: it depends on `pipeline.extract`, which depends on `pipeline.raw.schema`.
"""

from pipeline.raw.apply import apply_events
from pipeline.raw.cursor import (
    EventCursor,
    EventSyncPlan,
    events_to_apply,
    next_cursor,
    plan_event_sync,
)
from pipeline.raw.partition import PartitionResult, partition_path, write_partition
from pipeline.raw.snapshots import apply_snapshots, latest_rows, snapshot_rows

__all__ = [
    "EventCursor",
    "EventSyncPlan",
    "PartitionResult",
    "apply_events",
    "apply_snapshots",
    "events_to_apply",
    "latest_rows",
    "next_cursor",
    "partition_path",
    "plan_event_sync",
    "snapshot_rows",
    "write_partition",
]
