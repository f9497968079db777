"""Where extracted rows go: one Parquet file per raw table, written in row groups.

Rows are buffered only up to `row_group_rows`, so a month never sits in memory;
row groups are compressed and written by a worker thread (pyarrow releases the
GIL there), so the event loop keeps serving answers meanwhile.
The files are unsorted scratch; `pipeline.raw.partition.write_partition` sorts
them into the partition.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.extract.schema import raw_schema


class RowSink(Protocol):
    def add(self, table: str, batch: pa.RecordBatch) -> None: ...


class ParquetSinks:
    """`add(table, batch)` appends to `<directory>/<table>.parquet`; `close()` lists the files."""

    def __init__(self, directory: Path, row_group_rows: int = 5000) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.row_group_rows = row_group_rows
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._buffers: dict[str, list[pa.RecordBatch]] = {}
        self.counts: dict[str, int] = {}
        self._buffered: dict[str, int] = {}
        self._writing: dict[str, Future[None]] = {}
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="parquet-sink")
        self._closed = False

    def add(self, table: str, batch: pa.RecordBatch) -> None:
        self._buffers.setdefault(table, []).append(batch)
        self.counts[table] = self.counts.get(table, 0) + batch.num_rows
        self._buffered[table] = self._buffered.get(table, 0) + batch.num_rows
        if self._buffered[table] >= self.row_group_rows:
            self._flush(table)

    def open_table(self, table: str) -> None:
        """Make sure `table` gets a file even when it receives no rows."""
        self._buffers.setdefault(table, [])
        self.counts.setdefault(table, 0)

    def _flush(self, table: str) -> None:
        schema = raw_schema(table)
        if table not in self._writers:
            path = self.directory / f"{table}.parquet"
            self._writers[table] = pq.ParquetWriter(path, schema, compression="zstd")
        batches, self._buffers[table], self._buffered[table] = self._buffers[table], [], 0
        rows = pa.Table.from_batches(batches, schema=schema)
        if table in self._writing:
            self._writing[table].result()  # one row group in writing per table: memory stays flat
        self._writing[table] = self._thread.submit(self._writers[table].write_table, rows)

    def close(self) -> dict[str, Path]:
        """Flush and close every file; the Parquet file of each table (closing twice is fine)."""
        if self._closed:
            return self._files()
        self._closed = True
        try:
            for table in list(self._buffers):
                if self._buffers[table] or table not in self._writers:
                    self._flush(table)
            for writing in self._writing.values():
                writing.result()
        finally:
            self._thread.shutdown()
            for writer in self._writers.values():
                writer.close()
        return self._files()

    def _files(self) -> dict[str, Path]:
        return {table: self.directory / f"{table}.parquet" for table in self._writers}
