"""The raw layer, Arrow → Parquet + DuckDB `raw_stripe`: loader, blanking, purge register, journals.

Partitions (`partition`, `warehouse`, `recovery`), months extracted into them
(`loader`), event snapshots applied to them (`snapshots`, `versions`, `apply`, `cursor`),
purged customers blanked in every write (`blanking`, `purge_register`), and the
durable JSON Lines files the receiver writes (`journal`). No Dagster.
"""

from pipeline.raw.apply import apply_events
from pipeline.raw.cursor import (
    EventCursor,
    EventSyncPlan,
    plan_event_sync,
)
from pipeline.raw.partition import PartitionResult, partition_path, write_partition
from pipeline.raw.snapshots import latest_rows, snapshot_rows

__all__ = [
    "EventCursor",
    "EventSyncPlan",
    "PartitionResult",
    "apply_events",
    "latest_rows",
    "partition_path",
    "plan_event_sync",
    "snapshot_rows",
    "write_partition",
]
