"""Leftovers of killed writers: found by pid and removed, half commits loaded again."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from pipeline.extract.schema import raw_schema
from pipeline.raw.partition import write_partition
from pipeline.raw.recovery import marker_path, recover_raw, remove_dead_scratch
from pipeline.serving.publish import remove_leftovers

T0 = datetime(2024, 6, 1, tzinfo=UTC)


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def charges(*ids: str) -> pa.Table:
    rows = [
        {"id": i, "created": 1714521600 + n, "month": "2024-05", "livemode": False,
         "account": None, "api_version": "2026-10-28.endive", "extracted_at": T0,
         "source": "list", "is_deleted": False, "event_id": None, "event_created": None,
         "payload": f'{{"id":"{i}"}}'}
        for n, i in enumerate(ids)
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=raw_schema("charges"))


def test_scratch_of_dead_writers_goes_and_live_ones_stay(tmp_path):
    scratch = tmp_path / "raw" / ".scratch"
    dead, live = dead_pid(), os.getpid()
    for name in (f"charges-2024-05-{dead}-ab12cd34", f"charges-2024-05-{live}-ab12cd34", "crash"):
        (scratch / name).mkdir(parents=True)
        (scratch / name / "charges.parquet").write_bytes(b"partial")
    (scratch / "duckdb_temp_storage-0.tmp").write_bytes(b"")  # a live builder's spill file
    removed = remove_dead_scratch(tmp_path / "raw")
    assert sorted(p.name for p in removed) == sorted([f"charges-2024-05-{dead}-ab12cd34", "crash"])
    assert sorted(p.name for p in scratch.iterdir()) == sorted(
        [f"charges-2024-05-{live}-ab12cd34", "duckdb_temp_storage-0.tmp"]
    )


def test_publish_leftovers_of_dead_publishers_go(tmp_path):
    dead, live = dead_pid(), os.getpid()
    marts = tmp_path / "marts"
    marts.mkdir()
    names = [f".marts.duckdb.{dead}.tmp", f".marts.duckdb.{dead}.tmp.wal",
             f".marts.duckdb.{live}.tmp", "marts.duckdb"]  # fmt: skip
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    for name in (f".charges.parquet.{dead}.tmp", ".charges.parquet.tmp", "charges.parquet"):
        (marts / name).write_bytes(b"x")
    remove_leftovers(tmp_path / "marts.duckdb", marts)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".marts.duckdb.{live}.tmp", "marts", "marts.duckdb"]
    )
    assert [p.name for p in marts.iterdir()] == ["charges.parquet"]


def test_a_marked_partition_is_loaded_again_from_its_parquet(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    write_partition(raw, wh, "charges", "2024-05", charges("ch_1", "ch_2"))
    assert not marker_path(raw, "charges", "2024-05").exists()
    with duckdb.connect(str(wh)) as con:  # as if the commit after the swap never happened
        con.execute("delete from raw_stripe.charges where id = 'ch_2'")
    marker_path(raw, "charges", "2024-05").write_text("12345\n")
    assert recover_raw(raw, wh) == [("charges", "2024-05")]
    with duckdb.connect(str(wh)) as con:
        ids = con.execute("select id from raw_stripe.charges order by id").fetchall()
    assert ids == [("ch_1",), ("ch_2",)]
    assert not marker_path(raw, "charges", "2024-05").exists()
    assert recover_raw(raw, wh) == []


def test_any_later_partition_write_repairs_a_marked_month_first(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    write_partition(raw, wh, "charges", "2024-05", charges("ch_1", "ch_2"))
    with duckdb.connect(str(wh)) as con:
        con.execute("delete from raw_stripe.charges")
    marker_path(raw, "charges", "2024-05").write_text("12345\n")
    june = charges("ch_3").set_column(2, "month", pa.array(["2024-06"]))
    write_partition(raw, wh, "charges", "2024-06", june, mode="upsert")  # e.g. an event
    with duckdb.connect(str(wh)) as con:
        rows = con.execute("select id, month from raw_stripe.charges order by id").fetchall()
    assert rows == [("ch_1", "2024-05"), ("ch_2", "2024-05"), ("ch_3", "2024-06")]
    assert list((raw / ".pending").iterdir()) == []
