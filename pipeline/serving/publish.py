"""Publish the marts: a read-only DuckDB file and Parquet files, swapped in whole.

DuckDB allows one writer per file and locks readers out while it writes, so BI
tools never read the warehouse itself. After each build the marts are copied
into a new file beside `marts.duckdb` and renamed over it; a reader holding the
old file keeps reading it, the next connection sees the new one. Parquet files
are written the same way: temporary name, then rename. Scratch files of a
publisher that was killed are removed when the next one starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.raw.files import remove_stale_temps, temp_path_for
from pipeline.raw.warehouse import open_warehouse

MARTS_SCHEMA = "marts"


@dataclass(frozen=True)
class Published:
    database: Path
    parquet_dir: Path
    row_counts: dict[str, int]


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def remove_leftovers(database: Path, parquet_dir: Path) -> list[Path]:
    """Scratch files of publishers that were killed (`.marts.duckdb.<pid>.tmp`, its
    `.wal`, `.<mart>.parquet.<pid>.tmp`, and the pid-less names of older versions)."""
    removed = remove_stale_temps(database.parent, database.name)
    for mart in {p.name.split(".parquet.")[0][1:] for p in parquet_dir.glob(".*.parquet.*tmp")}:
        removed += remove_stale_temps(parquet_dir, f"{mart}.parquet")
    for old in parquet_dir.glob(".*.parquet.tmp"):  # before scratch names carried a pid
        old.unlink(missing_ok=True)
        removed.append(old)
    return removed


def publish_marts(
    warehouse: Path, database: Path, parquet_dir: Path, schema: str = MARTS_SCHEMA
) -> Published:
    """Copy every table of `schema` to `database` and `parquet_dir/<table>.parquet`."""
    database.parent.mkdir(parents=True, exist_ok=True)
    parquet_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(database, parquet_dir)
    tmp_db = temp_path_for(database)
    tmp_db.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    with open_warehouse(warehouse) as con:  # the writer pool holds the warehouse
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = ? and table_type = 'BASE TABLE' order by 1",
                [schema],
            ).fetchall()
        ]
        con.execute(f"attach {_quote(tmp_db)} as published")
        for table in tables:
            con.execute(f"create table published.main.{table} as select * from {schema}.{table}")
            counts[table] = con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
            tmp_parquet = temp_path_for(parquet_dir / f"{table}.parquet")
            con.execute(
                f"copy {schema}.{table} to {_quote(tmp_parquet)} (format parquet, compression zstd)"
            )
            _fsync(tmp_parquet)
            os.replace(tmp_parquet, parquet_dir / f"{table}.parquet")
        con.execute("detach published")
    _fsync(tmp_db)
    os.replace(tmp_db, database)
    return Published(database, parquet_dir, counts)
