"""The raw partition writer: atomic file replace, idempotence, one DuckDB transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.extract.schema import raw_schema
from pipeline.raw.partition import partition_path, write_partition
from pipeline.raw.typed import stored_schema

T0 = datetime(2024, 6, 1, tzinfo=UTC)
MAY = 1714521600  # 2024-05-01T00:00:00Z


def row(id_, created, *, month="2024-05", at=T0, deleted=False, event=None, payload=None):
    return {
        "id": id_, "created": created, "month": month, "livemode": False, "account": None,
        "api_version": "2026-10-28.endive", "extracted_at": at,
        "source": "event" if event else "list", "is_deleted": deleted,
        "event_id": event[1] if event else None, "event_created": event[0] if event else None,
        "payload": payload or f'{{"id":"{id_}"}}',
    }  # fmt: skip


def table(*rows, name="charges"):
    return pa.Table.from_pylist(list(rows), schema=raw_schema(name))


def db_rows(warehouse, name="charges", month="2024-05"):
    with duckdb.connect(str(warehouse)) as con:
        sql = f"select id, payload, is_deleted from raw_stripe.{name} where month = ? order by id"
        return con.execute(sql, [month]).fetchall()


def test_partition_file_is_sorted_and_holds_only_its_month(tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    src = table(row("ch_b", MAY + 5), row("ch_a", MAY + 5), row("ch_c", MAY + 9),
                row("ch_x", MAY - 1, month="2024-04"))  # fmt: skip
    result = write_partition(tmp_path / "raw", wh, "charges", "2024-05", src)
    assert result.path == partition_path(tmp_path / "raw", "charges", "2024-05")
    assert result.path.as_posix().endswith("stripe/charges/month=2024-05/part-0.parquet")
    written = pq.read_table(result.path)
    assert written.column("id").to_pylist() == ["ch_c", "ch_a", "ch_b"]
    assert written.schema.equals(stored_schema("charges"))  # the raw columns and `obj`
    assert [r[0] for r in db_rows(wh)] == ["ch_a", "ch_b", "ch_c"]
    assert list(result.path.parent.iterdir()) == [result.path]  # no scratch left


def test_writing_twice_gives_identical_file_and_rows(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    src = table(*(row(f"ch_{i:03d}", MAY + i % 7) for i in range(300)))
    first = write_partition(tmp_path / "raw", wh, "charges", "2024-05", src)
    bytes_once, rows_once = first.path.read_bytes(), db_rows(wh)
    write_partition(tmp_path / "raw", wh, "charges", "2024-05", src)
    assert first.path.read_bytes() == bytes_once
    assert db_rows(wh) == rows_once and len(rows_once) == 300


def test_parquet_source_and_other_months_untouched(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    scratch = tmp_path / "scratch.parquet"
    pq.write_table(table(row("ch_1", MAY), row("ch_2", MAY - 10, month="2024-04")), scratch)
    write_partition(tmp_path / "raw", wh, "charges", "2024-04", scratch)
    write_partition(tmp_path / "raw", wh, "charges", "2024-05", scratch)
    write_partition(tmp_path / "raw", wh, "charges", "2024-05", table(row("ch_3", MAY)))
    assert [r[0] for r in db_rows(wh, month="2024-04")] == ["ch_2"]
    assert [r[0] for r in db_rows(wh)] == ["ch_3"]


def test_failed_build_leaves_previous_partition(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    good = write_partition(tmp_path / "raw", wh, "charges", "2024-05", table(row("ch_1", MAY)))
    before = good.path.read_bytes()
    with pytest.raises(duckdb.Error):
        write_partition(tmp_path / "raw", wh, "charges", "2024-05", tmp_path / "missing.parquet")
    assert good.path.read_bytes() == before and [r[0] for r in db_rows(wh)] == ["ch_1"]
    assert list(good.path.parent.iterdir()) == [good.path]


def test_delete_and_insert_are_one_transaction(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    write_partition(tmp_path / "raw", wh, "charges", "2024-05", table(row("ch_1", MAY)))
    with duckdb.connect(str(wh)) as con:  # a table that refuses one id: the insert fails
        con.execute("alter table raw_stripe.charges rename to old")
        con.execute("create table raw_stripe.charges as select * from raw_stripe.old")
        con.execute("drop table raw_stripe.old")
        con.execute("create unique index one_id on raw_stripe.charges (payload)")
    dup = table(row("ch_2", MAY, payload="same"), row("ch_3", MAY, payload="same"))
    with pytest.raises(duckdb.Error, match="constraint"):
        write_partition(tmp_path / "raw", wh, "charges", "2024-05", dup)
    assert [r[0] for r in db_rows(wh)] == ["ch_1"]  # the delete was rolled back


def test_list_mode_keeps_deleted_and_newer_rows_and_drops_the_rest(tmp_path):
    wh, raw = tmp_path / "warehouse.duckdb", tmp_path / "raw"
    later = datetime(2024, 6, 2, tzinfo=UTC)
    newer_event = (int(later.timestamp()) + 60, "evt_9")
    old = table(row("cus_gone", MAY, deleted=True), row("cus_stale", MAY),
                row("cus_new_event", MAY, event=newer_event, payload="v9"),
                name="customers")  # fmt: skip
    write_partition(raw, wh, "customers", "2024-05", old, mode="upsert")
    relisted = table(row("cus_new_event", MAY, at=later, payload="v1"),
                     row("cus_fresh", MAY, at=later), name="customers")  # fmt: skip
    write_partition(raw, wh, "customers", "2024-05", relisted)
    assert db_rows(wh, "customers") == [
        ("cus_fresh", '{"id":"cus_fresh"}', False),
        ("cus_gone", '{"id":"cus_gone"}', True),
        ("cus_new_event", "v9", False),
    ]
