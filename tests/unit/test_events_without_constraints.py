"""The events tables keep their keys by how they are written, not by constraints.

A DuckLake has no PRIMARY KEY or UNIQUE constraints and no upsert syntax, so the DDL
declares none and no writer uses them; writing everything twice still changes nothing,
on fresh tables and on tables an older warehouse created with keys.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipeline.events.dispatch import run_handler
from pipeline.events.exceptions import record_exception
from pipeline.events.ingest import ingest_landing
from pipeline.events.legacy import adopt_legacy_events
from pipeline.events.schema import DDL, ensure_schema
from pipeline.events.table import (
    insert_new_keys,
    record_deliveries,
    record_events,
    record_listed_events,
)
from pipeline.events.webhooks.delivery import Delivery, Rejection
from pipeline.events.webhooks.landing import LandingStore
from pipeline.events.webhooks.rejections import RejectionLog
from pipeline.raw.balance_snapshots import CREATE_TABLE
from pipeline.raw.journal import Journal

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"
NOW = int(time.time())
TABLES = (
    "events.events",
    "events.event_deliveries",
    "events.event_processing_exceptions",
    "events.event_handler_runs",
    "events.landing_offsets",
)
OLD_KEYS = {  # the keys older warehouses' tables were created with
    "events.events": "id",
    "events.event_processing_exceptions": "id",
    "events.event_deliveries": "event_id, digest",
    "events.landing_offsets": "folder, file",
    "events.event_handler_runs": "event_id, handler",
}


def test_the_ddl_declares_no_keys():
    for ddl in (DDL, CREATE_TABLE):
        assert not re.search(r"primary\s+key|unique", ddl, re.IGNORECASE)


def test_no_pipeline_module_uses_upsert_syntax():
    pattern = re.compile(r"on\s+conflict|insert\s+or\s+(replace|ignore)", re.IGNORECASE)
    offenders = [
        str(path.relative_to(PIPELINE))
        for path in sorted(PIPELINE.rglob("*.py"))
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def event(event_id: str, created: int = NOW) -> dict:
    obj = {"id": f"ch_{event_id}", "object": "charge", "created": NOW - 500, "amount": 100}
    return {"id": event_id, "object": "event", "type": "charge.succeeded", "created": created,
            "livemode": False, "data": {"object": obj}}  # fmt: skip


def land(data_dir: Path) -> None:
    """Deliveries (one id twice, one body twice), a refusal, an unreadable and a torn line."""
    store = LandingStore(data_dir / "landing" / "webhooks")
    for body in (event("evt_1"), event("evt_1"), event("evt_1", NOW + 1), event("evt_2")):
        store.store(Delivery(body=json.dumps(body), event=body), {}, "127.0.0.1")
    store.close()
    journal = Journal(data_dir / "landing" / "webhooks", "deliveries")
    journal.append({"received_at": datetime.now(UTC).isoformat(), "body": 5})
    journal.close()
    log = RejectionLog(data_dir / "landing" / "rejections")
    log.record(Rejection(400, "bad_signature", "no match", "evt_x"), b"{}", 2, "10.1.1.1")
    log.close()
    torn = data_dir / "landing" / "webhooks" / f"deliveries-20260101-{2**22 + 1}-0-0.jsonl"
    torn.write_bytes(b'{"event_id": "evt_3"')  # its writer (no such pid) died mid-line


@pytest.fixture(params=["without keys", "with old keys"])
def conn(request):
    conn = duckdb.connect()
    ensure_schema(conn)
    if request.param == "with old keys":
        for table, key in OLD_KEYS.items():
            conn.execute(f"alter table {table} add primary key ({key})")
        conn.execute(
            "create unique index exceptions_source_key "
            "on events.event_processing_exceptions (source_key)"
        )
    yield conn
    conn.close()


def counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


def write_everything(conn: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    ingest_landing(conn, data_dir)
    conn.execute("delete from events.landing_offsets")  # as if read for the first time
    ingest_landing(conn, data_dir)
    listed = [json.dumps(event("evt_2")), json.dumps(event("evt_4"))]
    record_listed_events(conn, listed)
    row = conn.execute(
        "select event_id, digest, source, account, received_at, payload "
        "from events.event_deliveries order by received_at limit 1"
    ).fetchone()
    record_deliveries(conn, [row, row])
    record_exception(conn, "receive", "seen once", source_key="once")
    adopt_legacy_events(conn)


def test_writing_everything_twice_changes_nothing(conn, tmp_path):
    land(tmp_path)
    write_everything(conn, tmp_path)
    first = counts(conn)
    assert first["events.events"] == 3  # evt_1, evt_2, evt_4
    assert first["events.event_deliveries"] == 3  # evt_1 twice (two bodies), evt_2
    assert first["events.event_processing_exceptions"] == 4  # refused, unreadable, torn, once
    assert first["events.landing_offsets"] > 0
    write_everything(conn, tmp_path)
    assert counts(conn) == first
    assert conn.execute("select count(distinct id) from events.events").fetchone()[0] == 3


def test_the_first_event_of_a_batch_wins(conn):
    older, newer = json.dumps(event("evt_9")), json.dumps(event("evt_9", NOW + 5))
    assert record_listed_events(conn, [older, newer]) == 1
    assert record_events(conn, []) == 0
    assert conn.execute("select created from events.events").fetchall() == [(NOW,)]


def test_insert_new_keys_keeps_the_first_row_of_each_new_key(conn):
    conn.execute("create table scratch (k varchar, v integer)")
    conn.execute("insert into scratch values ('a', 0)")
    batch = pa.table({"k": ["a", "b", "c", "b", "c"], "v": [1, 2, 3, 4, 5]})
    assert insert_new_keys(conn, "scratch", batch, ("k",)) == 2
    assert conn.execute("from scratch order by k").fetchall() == [("a", 0), ("b", 2), ("c", 3)]
    assert insert_new_keys(conn, "scratch", batch, ("k",)) == 0


def test_a_handler_run_is_one_row_whose_attempts_count(conn):
    calls = []

    def flaky(event, conn):
        calls.append(event["id"])
        if len(calls) < 3:
            raise RuntimeError("not yet")

    def runs():
        return conn.execute(
            "select status, attempts from events.event_handler_runs where event_id = 'evt_1'"
        ).fetchall()

    assert run_handler(conn, flaky, event("evt_1")) is False
    assert runs() == [("failed", 1)]
    assert run_handler(conn, flaky, event("evt_1")) is False
    assert runs() == [("failed", 2)]
    assert run_handler(conn, flaky, event("evt_1")) is True
    assert runs() == [("succeeded", 3)]
    failures = "select count(*) from events.event_processing_exceptions where stage = 'handler'"
    assert conn.execute(failures).fetchone()[0] == 2
