"""Extract a month of one object and replace its raw partitions: the whole step."""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime
from pathlib import Path

from pipeline.catalog import StripeObject
from pipeline.extract.children import tables_for
from pipeline.extract.client import StripeSession
from pipeline.extract.config import StripeHttp
from pipeline.extract.listing import SplitPolicy
from pipeline.extract.month import extract_month
from pipeline.extract.sink import ParquetSinks
from pipeline.extract.stats import ExtractStats
from pipeline.raw.partition import PartitionResult, Warehouse, write_partition
from pipeline.raw.recovery import SCRATCH_DIR, scratch_folder_name


async def materialize_month(
    client: StripeSession | StripeHttp,
    obj: StripeObject,
    month: str,
    raw_dir: Path,
    warehouse: Warehouse,
    *,
    extracted_at: datetime | None = None,
    split: SplitPolicy | None = None,
) -> tuple[ExtractStats, list[PartitionResult]]:
    """List `obj` for `month` into scratch Parquet, then write each of its raw tables.

    Nothing visible changes until the listing is complete: a failure or a kill
    leaves the previous partitions as they were (the scratch folder is removed
    on failure, and a killed run's scratch is ignored by readers).
    """
    stem = scratch_folder_name(f"{obj.name}-{month}")
    scratch = Path(raw_dir) / SCRATCH_DIR / f"{stem}{uuid.uuid4().hex[:8]}"
    sinks = ParquetSinks(scratch)
    try:
        stats = await extract_month(
            client, obj, month, sinks, extracted_at=extracted_at, split=split
        )
        files = sinks.close()
        results = [
            write_partition(raw_dir, warehouse, table, month, files[table])
            for table in tables_for(obj)
        ]
    finally:
        sinks.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return stats, results
