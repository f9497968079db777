"""Write one raw partition: a Parquet file replaced atomically, then the DuckDB table.

`<raw_dir>/stripe/<table>/month=YYYY-MM/part-0.parquet` is rebuilt from the
incoming rows merged with the rows already there, sorted `created desc, id`,
written to a scratch file, fsynced and renamed over the old one. Then
`raw_stripe.<table>` deletes the month and inserts the file, in one transaction.
A process killed before the rename leaves the old file and table as they were;
one killed between the rename and the commit leaves a marker under
`<raw_dir>/.pending/`, and the next partition write (of any writer: extraction,
events, a purge) loads that month again first (`pipeline.raw.recovery`).

Merge rule (one row per id, the newest snapshot wins by `pipeline.raw.versions`);
on a tie the incoming row wins.
- mode `list`: the incoming rows say which ids exist; existing rows are kept
  only when marked deleted (deleted objects are no longer listed) or newer.
- mode `upsert` (event snapshots): every existing row stays unless replaced.

Every row written gets the typed column `obj` derived from its (blanked) payload
(`pipeline.raw.typed`); a table whose stored `obj` is of an older catalogue is
re-derived first (`pipeline.raw.retype`).
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.extract.schema import raw_schema
from pipeline.raw.blanking import blank_purged
from pipeline.raw.files import (
    file_lock,
    remove_stale_temps,
    replace_atomically,
    temp_path_for,
)
from pipeline.raw.purge_register import PurgeRegister
from pipeline.raw.recovery import mark_pending, repair_pending
from pipeline.raw.retype import retype_table
from pipeline.raw.schema import PARTITION_FILE
from pipeline.raw.typed import stored_schema, typed_select, with_typed
from pipeline.raw.versions import version_order_sql
from pipeline.raw.warehouse import Warehouse, load_partition

Source = Path | pa.Table
BATCH_ROWS = 8192
MONTH = re.compile(r"\d{4}-\d{2}")


@dataclass(frozen=True)
class PartitionResult:
    table: str
    month: str
    path: Path
    rows: int


_BUILDER_LOCK = threading.Lock()


@functools.cache
def _builder(scratch: Path) -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process to sort partitions (opening one costs ~50 ms)."""
    con = duckdb.connect()
    con.execute("set temp_directory = ?", [str(scratch)])
    return con


def _parquet(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    return f"read_parquet('{quoted}', hive_partitioning = false)"


def partition_path(raw_dir: Path, table: str, month: str) -> Path:
    return Path(raw_dir) / "stripe" / table / f"month={month}" / PARTITION_FILE


def _merge_sql(table: str, has_existing: bool, mode: str) -> str:
    """The merged rows, sorted, `obj` derived from each kept payload (the old `obj` of
    an existing row is never carried over)."""
    cols = ", ".join(raw_schema(table).names)
    existing = ""
    if has_existing:
        keep = "true" if mode == "upsert" else "is_deleted or id in (select id from incoming)"
        existing = f"union all select {cols}, 0 as incoming_rank from existing where {keep}"
    merged = f"""(
        select {cols} from (
            select {cols}, 1 as incoming_rank from incoming {existing}
        )
        qualify row_number() over (partition by id order by {version_order_sql()},
                                   incoming_rank desc) = 1
        order by created desc, id
    )"""
    return typed_select(table, merged)


def build_partition_file(
    source: Source,
    target: Path,
    table: str,
    month: str,
    mode: str,
    scratch: Path,
    purged: frozenset[str] = frozenset(),
) -> int:
    """Write the merged, sorted partition to `target` (a scratch path); its row count."""
    schema = stored_schema(table)
    with _BUILDER_LOCK:  # cursor() on a shared connection is not thread-safe
        con = _builder(scratch).cursor()  # its own connection: temp views stay private
    try:
        con.execute("set TimeZone = 'UTC'")
        if isinstance(source, pa.Table):
            con.register("incoming_all", source)
        else:
            con.execute(f"create temp view incoming_all as select * from {_parquet(source)}")
        con.execute(
            f"create temp view incoming as select * from incoming_all where month = '{month}'"
        )
        final = target.parent / PARTITION_FILE
        if final.exists():
            con.execute(f"create temp view existing as select * from {_parquet(final)}")
        reader = con.execute(_merge_sql(table, final.exists(), mode)).to_arrow_reader(BATCH_ROWS)
        rows = 0
        with pq.ParquetWriter(target, schema, compression="zstd") as writer:
            for batch in reader:
                batch_table = pa.Table.from_batches([batch]).cast(schema)
                if purged and (blanked := blank_purged(batch_table, purged)) is not batch_table:
                    batch_table = _typed_again(blanked, table, scratch)  # from the blanked text
                writer.write_table(batch_table)
                rows += batch.num_rows
            if rows == 0:
                writer.write_table(schema.empty_table())
        return rows
    finally:
        con.close()


def _typed_again(rows: pa.Table, table: str, scratch: Path) -> pa.Table:
    with _BUILDER_LOCK:
        con = _builder(scratch).cursor()
    try:
        return with_typed(con, rows, table)
    finally:
        con.close()


def write_partition(
    raw_dir: Path,
    warehouse: Warehouse,
    obj_name: str,
    month: str,
    source: Source,
    *,
    mode: Literal["list", "upsert"] = "list",
) -> PartitionResult:
    """Replace partition `month` of `raw_stripe.<obj_name>` with `source` merged in.

    `source` is a Parquet file (e.g. from `ParquetSinks`) or an Arrow table; only
    its rows of `month` are taken. One process at a time rewrites a given month.
    """
    if not MONTH.fullmatch(month):
        raise ValueError(f"month must look like YYYY-MM, got {month!r}")
    repair_pending(raw_dir, warehouse)  # a writer killed before its commit, whoever it was
    retype_table(raw_dir, warehouse, obj_name)  # `obj` of an older catalogue derived again
    final = partition_path(raw_dir, obj_name, month)
    final.parent.mkdir(parents=True, exist_ok=True)
    month_lock = month_lock_path(raw_dir, obj_name, month)
    with file_lock(purge_lock_path(raw_dir), shared=True), file_lock(month_lock):
        remove_stale_temps(final.parent, final.name)
        tmp = temp_path_for(final)
        try:
            purged = PurgeRegister(Path(raw_dir).parent).customer_ids()  # a purge stays
            scratch = Path(raw_dir) / ".scratch"
            rows = build_partition_file(source, tmp, obj_name, month, mode, scratch, purged)
            marker = mark_pending(raw_dir, obj_name, month)  # cleared once DuckDB has it
            replace_atomically(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        load_partition(warehouse, obj_name, month, final)
        marker.unlink(missing_ok=True)
    return PartitionResult(obj_name, month, final, rows)


LOCKS = ".locks"
"""Under the raw folder, apart from the data (a partition's folder holds its Parquet file
only): a month's read, merge, rename and load are one writer's at a time, so two runs
writing the same month (an extraction and events) never lose rows. Writers also hold the
purge lock, shared: a purge (exclusive) never runs between a writer reading the purge
register and loading what it wrote."""


def month_lock_path(raw_dir: Path, obj_name: str, month: str) -> Path:
    return Path(raw_dir) / LOCKS / obj_name / f"month={month}.lock"


def purge_lock_path(raw_dir: Path) -> Path:
    return Path(raw_dir) / LOCKS / "purge.lock"
