"""One rule for the newest snapshot: the partition merge, the Python key and dbt agree."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import jinja2
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.extract.schema import raw_schema
from pipeline.raw.partition import build_partition_file
from pipeline.raw.snapshots import latest_rows

MACRO = Path(__file__).parents[2] / "dbt_project" / "macros" / "latest_per_id.sql"
MAY = 1714521600  # 2024-05-01T00:00:00Z


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(MAY, UTC) + timedelta(seconds=seconds)


def listed(id_, seconds, tag):
    return {"id": id_, "extracted_at": at(seconds), "event_created": None, "event_id": None,
            "tag": tag}  # fmt: skip


def evented(id_, seconds, event_id, tag):
    return {"id": id_, "extracted_at": at(9999), "event_created": MAY + seconds,
            "event_id": event_id, "tag": tag}  # fmt: skip


ROWS = [
    listed("cus_a", 100.5, "list later by half a second"), evented("cus_a", 100, "evt_1", "x"),
    listed("cus_b", 100, "x"), evented("cus_b", 100, "evt_1", "event ties a list row"),
    evented("cus_c", 100, "evt_b", "x"), evented("cus_c", 100, "evt_c", "greater event id"),
    listed("cus_d", 5, "x"), evented("cus_d", 10, "evt_1", "later event"),
    listed("cus_e", 1, "x"), listed("cus_e", 2, "later list row"),
    evented("cus_f", 1, "evt_9", "x"), listed("cus_f", 0.25, "x"),
    listed("cus_f", 1.25, "list later by a quarter second"),
]  # fmt: skip
EXPECTED = {r["id"]: r["tag"] for r in ROWS if r["tag"] != "x"}


def raw_table() -> pa.Table:
    rows = [{"id": r["id"], "created": MAY, "month": "2024-05", "source": "list",
             "is_deleted": False, "extracted_at": r["extracted_at"],
             "event_created": r["event_created"], "event_id": r["event_id"],
             "payload": r["tag"]} for r in ROWS]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=raw_schema("customers"))


def test_python_key_picks_the_newest_in_any_order():
    for seed in range(5):
        rows = [dict(r) for r in ROWS]
        random.Random(seed).shuffle(rows)
        assert {r["id"]: r["tag"] for r in latest_rows(rows)} == EXPECTED


def test_partition_merge_keeps_the_same_rows(tmp_path):
    target = tmp_path / "customers" / "part.parquet"
    target.parent.mkdir()
    build_partition_file(raw_table(), target, "customers", "2024-05", "upsert", tmp_path)
    merged = pq.read_table(target).to_pylist()
    assert {r["id"]: r["payload"] for r in merged} == EXPECTED


def test_dbt_macro_keeps_the_same_rows():
    macro = jinja2.Environment().from_string(MACRO.read_text()).module.latest_per_id
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.register("incoming", raw_table())
        con.execute("create table customers as select * from incoming")  # rowid: a table
        picked = con.execute(f"select id, payload from ({macro('customers')})").fetchall()
    assert dict(picked) == EXPECTED
