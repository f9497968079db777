"""Extract months of Stripe objects straight into the raw layer (no Dagster).

Every (object, month) is one job: list it into scratch Parquet files through
the run's one `StripeSession` (one rate limiter for all), then replace each
raw partition atomically. Jobs run concurrently; DuckDB writes one at a time.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipeline.catalog import StripeObject, listed_object, objects_for_tables, raw_tables
from pipeline.extract import ExtractStats, ParquetSinks, StripeHttp, StripeSession, extract_month
from pipeline.raw import write_partition
from pipeline.raw.recovery import SCRATCH_DIR, recover_raw, scratch_folder_name
from pipeline.raw.warehouse import open_warehouse

__all__ = ["JobDone", "TableResult", "extract_to_raw", "objects_for_tables", "raw_tables"]
"""`raw_tables` and `objects_for_tables` are the catalogue's, kept here for their callers."""


@dataclass
class TableResult:
    """What one raw table received over the months of a run."""

    rows: int = 0
    months: list[str] = field(default_factory=list)
    stats: ExtractStats = field(default_factory=ExtractStats)


@dataclass(frozen=True)
class JobDone:
    """Progress report: one (object, month) landed."""

    object_name: str
    month: str
    rows: int
    done: int
    total: int
    seconds: float


async def extract_to_raw(
    config: StripeHttp,
    tables: Sequence[str],
    months: Sequence[str],
    raw_dir: Path,
    warehouse: Path,
    *,
    max_jobs: int = 8,
    on_job_done: Callable[[JobDone], None] | None = None,
    skip: frozenset[tuple[str, str]] = frozenset(),
) -> dict[str, TableResult]:
    """List `months` of every object behind `tables` and replace their raw partitions;
    (object, month) jobs in `skip` were done before (a resumed backfill)."""
    results = {t: TableResult() for t in tables}
    jobs = [(o, m) for m in months for o in objects_for_tables(tables) if (o.name, m) not in skip]
    slots, write_lock, failed = asyncio.Semaphore(max_jobs), asyncio.Lock(), asyncio.Event()
    extracted_at = datetime.now(UTC)
    started, done = time.perf_counter(), 0
    database: duckdb.DuckDBPyConnection
    scratch_root = Path(raw_dir) / SCRATCH_DIR
    scratch_root.mkdir(parents=True, exist_ok=True)

    async def run_job(session: StripeSession, obj: StripeObject, month: str) -> None:
        nonlocal done
        async with slots:
            if failed.is_set():  # a job failed: the run stops, those not begun never begin
                return
            stem = scratch_folder_name(f"{obj.name}-{month}")
            scratch = Path(tempfile.mkdtemp(prefix=stem, dir=scratch_root))
            try:
                sinks = ParquetSinks(scratch)
                stats = await extract_month(session, obj, month, sinks, extracted_at=extracted_at)
                files = sinks.close()
                async with write_lock:
                    rows = await asyncio.to_thread(
                        _write_tables, raw_dir, database, month, files, results
                    )
            except BaseException:
                failed.set()
                raise
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
        results.get(listed_object(obj).name, TableResult()).stats.add(stats)
        done += 1
        if on_job_done:
            seconds = time.perf_counter() - started
            on_job_done(JobDone(obj.name, month, rows, done, len(jobs), seconds))

    with open_warehouse(warehouse) as connection:
        database = connection  # one connection for every partition write of the run
        recover_raw(raw_dir, connection)  # what a killed writer left: scratch, half commits
        async with StripeSession(config) as session:
            outcomes = await asyncio.gather(
                *(run_job(session, o, m) for o, m in jobs), return_exceptions=True
            )  # every job ends inside the session: none is left to fail after it closes
    if failures := [o for o in outcomes if isinstance(o, BaseException)]:
        raise failures[0]
    return results


def _write_tables(
    raw_dir: Path,
    warehouse: duckdb.DuckDBPyConnection,
    month: str,
    files: dict[str, Path],
    results: dict,
) -> int:
    rows = 0
    for table, path in files.items():
        if table not in results:
            continue
        result = write_partition(raw_dir, warehouse, table, month, path)
        results[table].rows += result.rows
        results[table].months.append(month)
        rows += result.rows
    return rows
