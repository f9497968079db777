"""Landed records that would poison intake fail alone: genuine events are still processed.

The receiver refuses these deliveries now; the records are written straight into
a landing file here, as an older receiver (or a hand) could have left them.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import duckdb
import pytest
from stripe_double import MemoryLookup

from pipeline.events.handlers import HandlerRegistry
from pipeline.events.processing import process_pending
from pipeline.events.schema import ensure_schema
from pipeline.events.sweep import run_events
from pipeline.raw.journal import Journal
from pipeline.stripe_ids import InvalidStripeId

NOW = int(time.time())
POISON = {
    "created_overflow": {"created": 2**63},
    "livemode_yes": {"livemode": "yes"},
    "account_number": {"account": 123},
    "api_version_object": {"api_version": {}},
    "request_id_number": {"request": {"id": 5}},
    "object_id_number": {"data": {"object": {"id": 7, "object": "charge"}}},
    "id_trailing_slash": {"id": "evt_g0/"},
    "id_parent_path": {"id": "../events/evt_g0"},
    "id_inner_path": {"id": "x/../evt_g0"},
    "id_encoded_slash": {"id": "evt_g0%2F"},
    "id_fragment": {"id": "evt_g0#frag"},
}


def genuine(i: int) -> dict:
    obj = {"id": f"ch_{i}", "object": "charge", "created": NOW - 500, "amount": 100 + i}
    return {"id": f"evt_g{i}", "object": "event", "type": "charge.succeeded",
            "created": NOW - 100 + i, "livemode": False, "data": {"object": obj}}  # fmt: skip


def poisoned(change: dict) -> dict:
    return {**genuine(0), **change}


def landing_line(body: str, event_id: object = "evt_x") -> dict:
    return {"received_at": datetime.now(UTC).isoformat(), "event_id": event_id, "body": body}


@pytest.fixture
def stripe_double() -> MemoryLookup:
    lookup = MemoryLookup()
    for i in range(5):
        lookup.events[(None, f"evt_g{i}")] = genuine(i)
        lookup.objects[(None, f"ch_{i}")] = genuine(i)["data"]["object"]
    return lookup


def test_each_poison_record_is_one_exception_and_the_genuine_events_are_processed(
    tmp_path, stripe_double
):
    records = []
    for i, name in enumerate(sorted(POISON)):
        records.append(landing_line(json.dumps(genuine(i % 5))))
        records.append(landing_line(json.dumps(poisoned(POISON[name]))))
    records += [landing_line("{not json"), landing_line(json.dumps([1])), {"body": 5}]
    journal = Journal(tmp_path / "landing" / "webhooks", "deliveries")
    for record in records:
        journal.append(record)
    journal.close()
    warehouse = tmp_path / "warehouse.duckdb"
    registry = HandlerRegistry()
    summary = run_events(warehouse, tmp_path, stripe_double, now=NOW, registry=registry)
    assert summary.statuses == {"processed": 5}
    assert summary.ingested.unreadable == len(POISON) + 3
    again = run_events(warehouse, tmp_path, stripe_double, now=NOW, registry=registry)
    assert again.ingested.unreadable == 0 and again.processing == {}
    with duckdb.connect(str(warehouse)) as conn:
        stages = conn.execute(
            "select stage, count(*) from events.event_processing_exceptions group by 1"
        ).fetchall()
        charges = conn.execute("select id from raw_stripe.charges order by id").fetchall()
        offsets = conn.execute("select sum(bytes_read) from events.landing_offsets").fetchone()
    assert stages == [("receive", len(POISON) + 3)]
    assert charges == [(f"ch_{i}",) for i in range(5)]
    landed = sum(p.stat().st_size for p in (tmp_path / "landing" / "webhooks").glob("*.jsonl"))
    assert offsets == (landed,)


def test_ids_not_shaped_like_stripes_never_reach_a_lookup(stripe_double):
    for bad in ("evt_g0/", "../events/evt_g0", "x/../evt_g0", "evt_g0%2F", "evt_g0#frag"):
        with pytest.raises(InvalidStripeId):
            stripe_double.event(bad, None)


def test_applied_rows_are_marked_by_their_stored_id(tmp_path, stripe_double):
    """Even if Stripe's copy named another id, the row processed is the row stored."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        ensure_schema(conn)
        copy = genuine(1)
        conn.execute(
            "insert into events.events (id, type, created, source, received_at, "
            "payload_received, payload_refetched, valid, status) "
            "values ('evt_stored', 'charge.succeeded', 1, 'webhook', now(), ?, ?, true, "
            "'validated')",
            [json.dumps(copy), json.dumps(copy)],
        )
        process_pending(conn, tmp_path / "raw", stripe_double, HandlerRegistry())
        rows = conn.execute("select id, status from events.events").fetchall()
        assert rows == [("evt_stored", "processed")]
        assert process_pending(conn, tmp_path / "raw", stripe_double, HandlerRegistry()) == {}


def test_an_earlier_warehouse_is_adopted_and_its_shadowed_events_judged_again(
    tmp_path, stripe_double
):
    """Before: a forgery that came first made the genuine event `forged` for good."""
    warehouse = tmp_path / "warehouse.duckdb"
    forged = {**genuine(0), "data": {"object": {**genuine(0)["data"]["object"], "amount": 1}}}
    with duckdb.connect(str(warehouse)) as conn:
        ensure_schema(conn)
        conn.execute("drop table events.event_deliveries")  # as the schema was
        conn.execute(
            "insert into events.events (id, type, created, source, received_at, "
            "payload_received, payload_refetched, valid, validation_status, status) "
            "values ('evt_g0', 'charge.succeeded', 1, 'webhook', now(), ?, ?, false, "
            "'forged', 'forged')",
            [json.dumps(forged), json.dumps(genuine(0))],
        )
    summary = run_events(warehouse, tmp_path, stripe_double, now=NOW, registry=HandlerRegistry())
    assert summary.statuses == {"processed": 1}
    with duckdb.connect(str(warehouse)) as conn:
        verdicts = conn.execute("select verdict from events.event_deliveries").fetchall()
        amount = conn.execute(
            "select json_extract(payload, '$.amount')::int from raw_stripe.charges"
        ).fetchall()
    assert verdicts == [("forged",)] and amount == [(100,)]
