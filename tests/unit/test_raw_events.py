"""Event snapshots: newest wins whatever the arrival order, deletes mark, cursor rules."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from pipeline.extract.schema import raw_schema
from pipeline.raw.apply import apply_events
from pipeline.raw.cursor import (
    EventCursor,
    plan_event_sync,
)
from pipeline.raw.partition import write_partition
from pipeline.raw.snapshots import latest_rows, snapshot_rows

AT = datetime(2024, 6, 1, tzinfo=UTC)
MAY = 1714521600


def event(eid, created, kind, obj):
    return {"id": eid, "object": "event", "created": created, "type": kind,
            "api_version": "2024-04-10", "livemode": False, "data": {"object": obj}}  # fmt: skip


def customer(name, created=MAY + 10, **extra):
    return {"id": "cus_1", "object": "customer", "created": created, "name": name, **extra}


EVENTS = [
    event("evt_a", MAY + 10, "customer.created", customer("a")),
    event("evt_b", MAY + 20, "customer.updated", customer("b")),
    event("evt_c", MAY + 20, "customer.updated", customer("c")),  # same second: id breaks the tie
]


def test_latest_snapshot_wins_in_any_order():
    for order in itertools.permutations(EVENTS):
        (row,) = latest_rows(snapshot_rows(order, AT))
        assert row["event_id"] == "evt_c" and row["source"] == "event"
        assert '"name":"c"' in row["payload"]
        assert (row["table"], row["month"], row["is_deleted"]) == ("customers", "2024-05", False)


def test_deleted_event_marks_the_row_and_keeps_it():
    deleted = event("evt_d", MAY + 30, "customer.deleted", customer("c", deleted=True))
    (row,) = latest_rows(snapshot_rows([deleted, *EVENTS], AT))
    assert row["is_deleted"] is True and row["event_id"] == "evt_d"


def test_list_row_newer_than_an_event_wins_and_older_loses(tmp_path):
    listed_at = datetime.fromtimestamp(MAY + 15, UTC)
    listed = {"id": "cus_1", "created": MAY + 10, "month": "2024-05", "source": "list",
              "is_deleted": False, "extracted_at": listed_at, "payload": "listed"}  # fmt: skip
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    write_partition(raw, wh, "customers", "2024-05", pa.Table.from_pylist(
        [listed], schema=raw_schema("customers")))  # fmt: skip
    apply_events(raw, wh, EVENTS[:1], extracted_at=AT)
    select = "select payload, event_id from raw_stripe.customers"
    with duckdb.connect(str(wh)) as con:
        assert con.execute(select).fetchall() == [("listed", None)]
    apply_events(raw, wh, EVENTS, extracted_at=AT)
    with duckdb.connect(str(wh)) as con:
        assert con.execute(select).fetchone()[1] == "evt_c"


def test_objects_without_a_raw_table_are_skipped():
    other = event(
        "evt_x",
        MAY,
        "payment_link.created",
        {"id": "plink_1", "object": "payment_link", "created": MAY},
    )
    assert snapshot_rows([other], AT) == []


def test_apply_events_writes_the_objects_partition_in_any_batch_order(tmp_path):
    deleted = event("evt_d", MAY + 30, "customer.deleted", customer("c", deleted=True))
    other = event(
        "evt_e", MAY + 40, "charge.updated", {"id": "ch_1", "object": "charge", "created": MAY - 5}
    )
    results = []
    for i, batches in enumerate([[EVENTS, [deleted, other]], [[deleted, other], EVENTS[::-1]]]):
        raw, wh = tmp_path / f"raw{i}", tmp_path / f"wh{i}.duckdb"
        for batch in batches:
            apply_events(raw, wh, batch, extracted_at=AT)
        with duckdb.connect(str(wh)) as con:
            customers = con.execute(
                "select id, month, is_deleted, event_id from raw_stripe.customers"
            ).fetchall()
            charges = con.execute("select id, month, event_id from raw_stripe.charges").fetchall()
        results.append((customers, charges))
    assert results[0] == results[1]
    assert results[0] == ([("cus_1", "2024-05", True, "evt_d")], [("ch_1", "2024-04", "evt_e")])


def test_plan_reads_from_cursor_or_relists_when_events_expired():
    now = MAY + 40 * 86400
    recent = plan_event_sync(EventCursor(now - 3600, "evt_1"), now, "2024-01")
    assert recent.created_gte == now - 3600 - 5 and not recent.needs_relist
    stale = plan_event_sync(EventCursor(now - 31 * 86400, "evt_1"), now, "2024-01")
    assert stale.relist_months == ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06")
    assert stale.created_gte == now - 30 * 86400
    assert plan_event_sync(None, now, "2024-05").relist_months == ("2024-05", "2024-06")
