"""Land → validate → process over a real DuckDB file, Stripe answered from dicts."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from stripe_double import MemoryLookup

from pipeline.events.exceptions import open_exceptions
from pipeline.events.handlers import HandlerRegistry
from pipeline.events.health import counts_by_status_and_type, event_health
from pipeline.events.ingest import IngestCounts
from pipeline.events.reprocess import reprocess
from pipeline.events.sweep import run_events
from pipeline.events.webhooks.delivery import Delivery, Rejection
from pipeline.events.webhooks.landing import LandingStore
from pipeline.events.webhooks.rejections import RejectionLog
from pipeline.raw import apply_events
from pipeline.raw.schema import create_table_sql

NOW = int(time.time())


def charge(amount: int = 500, object_id: str = "ch_1", **fields) -> dict:
    return {
        "id": object_id,
        "object": "charge",
        "created": NOW - 1000,
        "amount": amount,
        "currency": "usd",
        "livemode": False,
        "metadata": {},
        **fields,
    }


def event(event_id: str, obj: dict, created: int, kind: str = "charge.updated", account=None):
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": created,
        "api_version": "2026-10-28.endive",
        "account": account,
        "livemode": False,
        "data": {"object": obj},
    }


def land(data_dir, *events: dict) -> None:
    store = LandingStore(data_dir / "landing" / "webhooks")
    for e in events:
        store.store(Delivery(body=json.dumps(e), event=e), {}, "127.0.0.1")
    store.close()


class Recorder:
    def __init__(self, registry: HandlerRegistry, event_type: str = "*") -> None:
        self.seen: list[str] = []
        self.__qualname__ = f"Recorder.{event_type}"
        registry.on(event_type)(self)

    def __call__(self, event, conn) -> None:
        self.seen.append(event["id"])


@pytest.fixture
def setup(tmp_path):
    lookup = MemoryLookup()
    registry = HandlerRegistry()
    warehouse = tmp_path / "warehouse.duckdb"

    def run(**kwargs):
        return run_events(warehouse, tmp_path, lookup, registry=registry, now=NOW, **kwargs)

    def query(sql, params=()):
        with duckdb.connect(str(warehouse)) as conn:
            return conn.execute(sql, list(params)).fetchall()

    return tmp_path, lookup, registry, run, query


def test_valid_deliveries_are_processed_once(setup):
    data_dir, lookup, registry, run, query = setup
    recorder = Recorder(registry)
    genuine = event("evt_1", charge(), NOW - 50)
    lookup.events[(None, "evt_1")] = genuine
    lookup.objects[(None, "ch_1")] = charge()
    land(data_dir, genuine)
    summary = run()
    assert summary.statuses == {"processed": 1}
    run()
    land(data_dir, genuine)
    run()
    assert recorder.seen == ["evt_1"]
    assert query("select processed, valid, source from events.events") == [(True, True, "webhook")]
    assert query("select json_extract(payload, '$.amount')::int from raw_stripe.charges") == [
        (500,)
    ]


def test_out_of_order_deliveries_converge_to_the_newest_snapshot(setup):
    data_dir, lookup, _, run, query = setup
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:
        apply_events(data_dir / "raw", conn, [event("evt_0", charge(50), NOW - 900)])
    older, newer = event("evt_a", charge(100), NOW - 90), event("evt_b", charge(200), NOW - 10)
    lookup.events[(None, "evt_a")], lookup.events[(None, "evt_b")] = older, newer
    lookup.objects[(None, "ch_1")] = charge(200)
    land(data_dir, newer)
    run()
    land(data_dir, older)
    run()
    rows = query("select json_extract(payload, '$.amount')::int, event_id from raw_stripe.charges")
    assert rows == [(200, "evt_b")]
    statuses = dict(query("select id, validation_status from events.events"))
    assert statuses == {"evt_a": "object_newer", "evt_b": "valid"}


def test_an_object_the_warehouse_lacks_is_retrieved(setup):
    data_dir, lookup, _, run, query = setup
    lookup.events[(None, "evt_a")] = event("evt_a", charge(100), NOW - 90)
    lookup.objects[(None, "ch_1")] = charge(300, refunded=True)
    land(data_dir, event("evt_a", charge(100), NOW - 90))
    assert run().statuses == {"processed": 1}
    rows = query("select json_extract(payload, '$.amount')::int, source from raw_stripe.charges")
    assert rows == [(300, "retrieve")]


def test_forged_bodies_never_touch_object_state_but_stripes_copy_applies(setup):
    data_dir, lookup, registry, run, query = setup
    recorder = Recorder(registry)
    lookup.events[(None, "evt_1")] = event("evt_1", charge(500), NOW - 50)
    lookup.objects[(None, "ch_1")] = charge(500)
    land(data_dir, event("evt_1", charge(1), NOW - 50), event("evt_unknown", charge(7), NOW - 5))
    summary = run()
    assert summary.statuses == {"forged": 1, "processed": 1}
    assert recorder.seen == ["evt_1"]
    assert query("select json_extract(payload, '$.amount')::int from raw_stripe.charges") == [
        (500,)
    ]
    deliveries = query(
        "select event_id, verdict, differing_fields from events.event_deliveries order by 1"
    )
    assert deliveries == [
        ("evt_1", "forged", ["data.object.amount"]),
        ("evt_unknown", "forged", ["id"]),
    ]
    assert dict(query("select id, status from events.events")) == {
        "evt_1": "processed",
        "evt_unknown": "forged",
    }
    exceptions = query("select event_id, stage from events.event_processing_exceptions")
    assert sorted(exceptions) == [("evt_1", "validate"), ("evt_unknown", "validate")]


def test_a_forgery_sent_before_the_genuine_event_does_not_shadow_it(setup):
    data_dir, lookup, registry, run, query = setup
    recorder = Recorder(registry)
    genuine = event("evt_1", charge(500), NOW - 50)
    lookup.events[(None, "evt_1")] = genuine
    lookup.objects[(None, "ch_1")] = charge(500)
    forged = event("evt_1", charge(1), NOW + 10**6, kind="charge.refunded", account="acct_evil")
    land(data_dir, forged, genuine, genuine)
    assert run().statuses == {"processed": 1}
    later = event("evt_1", charge(2), NOW - 50)
    land(data_dir, later)
    second = run()
    assert second.validation == {"forged_delivery": 1}
    assert recorder.seen == ["evt_1"]
    row = query("select type, created, account, status, payload_received from events.events")
    assert row[0][:4] == ("charge.updated", NOW - 50, None, "processed")
    assert json.loads(row[0][4]) == genuine
    verdicts = query("select verdict, differing_fields from events.event_deliveries order by 1, 2")
    assert verdicts == [
        ("forged", ["account", "type", "created", "data.object.amount"]),
        ("forged", ["data.object.amount"]),
        ("genuine", []),
    ]
    amounts = query("select json_extract(payload, '$.amount')::int from raw_stripe.charges")
    assert amounts == [(500,)]


def test_a_forged_unknown_event_is_proved_by_a_later_genuine_delivery(setup):
    data_dir, lookup, _, run, query = setup
    lookup.events[("acct_9", "evt_c")] = event(
        "evt_c", charge(object_id="ch_c"), NOW - 5, account="acct_9"
    )
    lookup.objects[("acct_9", "ch_c")] = charge(object_id="ch_c")
    land(data_dir, event("evt_c", charge(object_id="ch_c"), NOW - 5))  # the account left out
    assert run().statuses == {"forged": 1}
    land(data_dir, event("evt_c", charge(object_id="ch_c"), NOW - 5, account="acct_9"))
    assert run().statuses == {"processed": 1}
    assert query("select id, account from raw_stripe.charges") == [("ch_c", "acct_9")]


def count_tables(query, name: str) -> int:
    sql = "select count(*) from information_schema.tables where table_name = ?"
    return query(sql, [name])[0][0]


def test_a_failing_handler_is_recorded_and_retried_by_reprocess(setup):
    data_dir, lookup, registry, run, query = setup
    steady = Recorder(registry)
    attempts: list[str] = []

    @registry.on("charge.refunded")
    def flaky(event, conn):
        conn.execute("create table if not exists refunds_seen (id varchar)")
        conn.execute("insert into refunds_seen values (?)", [event["id"]])
        attempts.append(event["id"])
        if len(attempts) == 1:
            raise RuntimeError("ledger unavailable")

    refunded = event("evt_r", charge(refunded=True), NOW - 5, kind="charge.refunded")
    lookup.events[(None, "evt_r")] = refunded
    lookup.objects[(None, "ch_1")] = charge(refunded=True)
    land(data_dir, refunded)
    assert run().statuses == {"handler_failed": 1}
    (failure,) = query("select stage, message, traceback from events.event_processing_exceptions")
    assert failure[0] == "handler" and "ledger unavailable" in failure[1]
    assert "RuntimeError" in failure[2]
    assert count_tables(query, "refunds_seen") == 0
    raw_dir = data_dir / "raw"
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:
        again = reprocess(conn, raw_dir, lookup, types=["charge.refunded"], registry=registry)
        assert again == {"processed": 1}
        assert open_exceptions(conn) == []
        assert reprocess(conn, raw_dir, lookup, registry=registry) == {}
    assert attempts == ["evt_r", "evt_r"]
    assert steady.seen == ["evt_r"]
    assert query("select id from refunds_seen") == [("evt_r",)]


def test_a_failed_lookup_is_recorded_and_reprocessed(setup):
    data_dir, lookup, _, _, query = setup

    class Unreachable(MemoryLookup):
        def event(self, event_id, account):
            raise ConnectionError("stripe unreachable")

    genuine = event("evt_1", charge(), NOW - 50)
    land(data_dir, genuine)
    run_events(data_dir / "warehouse.duckdb", data_dir, Unreachable(), now=NOW)
    assert query("select status, valid from events.events") == [("received", None)]
    assert query("select stage from events.event_processing_exceptions") == [("validate",)]
    lookup.events[(None, "evt_1")] = genuine
    lookup.objects[(None, "ch_1")] = charge()
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:
        since = datetime.now(UTC) - timedelta(hours=1)
        assert reprocess(conn, data_dir / "raw", lookup, since=since, now=NOW) == {"processed": 1}


def test_deleted_customers_and_connect_events(setup):
    data_dir, lookup, _, run, query = setup
    customer = {"id": "cus_1", "object": "customer", "created": NOW - 500, "livemode": False}
    deleted = event("evt_d", customer, NOW - 20, kind="customer.deleted")
    connected = event("evt_c", charge(object_id="ch_c"), NOW - 10, account="acct_9")
    lookup.events[(None, "evt_d")] = deleted
    lookup.objects[(None, "cus_1")] = {"id": "cus_1", "object": "customer", "deleted": True}
    lookup.events[("acct_9", "evt_c")] = connected
    lookup.objects[("acct_9", "ch_c")] = charge(object_id="ch_c")
    land(data_dir, deleted, connected)
    assert run().statuses == {"processed": 2}
    statuses = dict(query("select id, validation_status from events.events"))
    assert statuses == {"evt_d": "deleted", "evt_c": "valid"}
    assert query("select id, is_deleted from raw_stripe.customers") == [("cus_1", True)]
    assert query("select id, account from raw_stripe.charges") == [("ch_c", "acct_9")]


def test_refused_deliveries_and_torn_lines_become_receive_exceptions(setup):
    data_dir, _, _, run, query = setup
    log = RejectionLog(data_dir / "landing" / "rejections")
    log.record(Rejection(400, "bad_signature", "no match", "evt_x"), b"{}", 2, "10.1.1.1")
    log.close()
    land(data_dir, event("evt_1", charge(), NOW))
    crashed = data_dir / "landing" / "webhooks" / f"deliveries-20260101-{2**22 + 1}-0-0.jsonl"
    crashed.write_bytes(b'{"event_id": "evt_2"')  # its writer (no such pid) died mid-line
    assert run().ingested.torn_lines == 1
    assert run().ingested == IngestCounts(events=0, rejections=0, torn_lines=0)
    rows = query(
        "select stage, event_id, message from events.event_processing_exceptions "
        "where stage = 'receive' order by message"
    )
    assert [r[:2] for r in rows] == [("receive", "evt_x"), ("receive", None)]
    assert "bad_signature" in rows[0][2] and "10.1.1.1" in rows[0][2]


def test_listed_events_are_taken_from_raw_and_not_refetched(setup):
    data_dir, lookup, registry, run, query = setup
    recorder = Recorder(registry)
    listed = event("evt_l", charge(), NOW - 30)
    lookup.objects[(None, "ch_1")] = charge()
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:
        conn.execute("create schema raw_stripe")
        conn.execute(create_table_sql("events"))
        conn.execute(
            "insert into raw_stripe.events (id, created, month, extracted_at, source, payload) "
            "values (?, ?, '2026-01', now(), 'list', ?)",
            [listed["id"], listed["created"], json.dumps(listed)],
        )
    summary = run()
    assert summary.listed == 1 and summary.statuses == {"processed": 1}
    assert query("select source, validation_status from events.events") == [("list", "valid")]
    assert recorder.seen == ["evt_l"]


def test_health_counts_invalid_events_backlog_and_new_exceptions(setup):
    data_dir, lookup, _, run, _ = setup
    lookup.events[(None, "evt_1")] = event("evt_1", charge(), NOW - 50)
    lookup.objects[(None, "ch_1")] = charge()
    land(data_dir, event("evt_1", charge(), NOW - 50), event("evt_x", charge(9), NOW - 40))
    started = datetime.now(UTC)
    run()
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:
        health = event_health(conn, since=started)
        table = counts_by_status_and_type(conn)
    assert (health.events, health.invalid, health.backlog) == (2, 1, 0)
    assert health.invalid_share == 0.5
    assert (health.open_exceptions, health.new_exceptions) == (1, 1)
    assert table == {"forged": {"charge.updated": 1}, "processed": {"charge.updated": 1}}


def test_a_forged_event_named_by_id_is_judged_again(setup):
    data_dir, lookup, _, run, query = setup
    land(data_dir, event("evt_late", charge(), NOW - 50))
    assert run().statuses == {"forged": 1}  # Stripe did not know it yet
    lookup.events[(None, "evt_late")] = event("evt_late", charge(), NOW - 50)
    lookup.objects[(None, "ch_1")] = charge()
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:
        raw_dir = data_dir / "raw"
        assert reprocess(conn, raw_dir, lookup, now=NOW) == {}  # verdicts are left alone
        assert reprocess(conn, raw_dir, lookup, ids=["evt_late"], now=NOW) == {"processed": 1}
    assert query("select verdict from events.event_deliveries") == [("genuine",)]
    assert query(
        "select count(*) from events.event_processing_exceptions where resolved_at is null"
    ) == [(0,)]
