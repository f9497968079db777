"""Landing files: durable lines, dedupe across restarts, torn last lines skipped."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.events.webhooks.delivery import Delivery
from pipeline.events.webhooks.landing import LandingStore, landing_cursor
from pipeline.raw.journal import TornLine, read_journal


def delivery(event_id: str) -> Delivery:
    event = {"id": event_id, "type": "charge.succeeded", "created": 1, "data": {"object": {}}}
    return Delivery(body=json.dumps(event), event=event)


def test_an_event_is_stored_once_even_after_a_restart(tmp_path):
    store = LandingStore(tmp_path)
    assert not store.store(delivery("evt_1"), {}, "127.0.0.1").duplicate
    assert store.store(delivery("evt_1"), {}, "127.0.0.1").duplicate
    store.close()
    reopened = LandingStore(tmp_path)
    assert reopened.store(delivery("evt_1"), {}, None).duplicate
    assert not reopened.store(delivery("evt_2"), {}, None).duplicate
    reopened.close()
    assert [r["event_id"] for r in read_journal(tmp_path)] == ["evt_1", "evt_2"]


def test_records_keep_the_raw_body_and_no_secret_headers(tmp_path):
    store = LandingStore(tmp_path)
    headers = {"stripe-signature": "t=1,v1=ab", "authorization": "Bearer sk_x", "user-agent": "S"}
    store.store(delivery("evt_1"), headers, "10.0.0.1")
    store.close()
    (record,) = read_journal(tmp_path)
    assert json.loads(record["body"])["id"] == "evt_1"
    assert record["source_address"] == "10.0.0.1"
    assert "authorization" not in record["headers"]
    assert record["headers"]["user-agent"] == "S"


def as_dead_writer(path: Path) -> Path:
    """The same file, named as if written by a process that no longer exists."""
    parts = path.stem.split("-")
    parts[-3] = str(2**22 + 1)  # above any Linux pid_max
    return path.rename(path.with_name("-".join(parts) + path.suffix))


def test_a_torn_last_line_of_a_dead_writer_is_skipped_and_reported(tmp_path):
    store = LandingStore(tmp_path)
    store.store(delivery("evt_1"), {}, None)
    store.close()
    (path,) = tmp_path.glob("*.jsonl")
    with open(path, "ab") as fh:
        fh.write(b'{"event_id": "evt_2", "bo')
    size_before = path.stat().st_size
    path = as_dead_writer(path)
    torn: list[TornLine] = []
    assert [r["event_id"] for r in read_journal(tmp_path, torn)] == ["evt_1"]
    assert [(t.path, t.offset + len(t.text)) for t in torn] == [(path, size_before)]
    restarted = LandingStore(tmp_path)
    assert len(restarted.torn_at_start) == 1
    assert not restarted.store(delivery("evt_2"), {}, None).duplicate
    restarted.close()
    assert sorted(r["event_id"] for r in read_journal(tmp_path)) == ["evt_1", "evt_2"]


def test_a_line_being_written_is_left_for_the_next_read(tmp_path):
    store = LandingStore(tmp_path)
    store.store(delivery("evt_1"), {}, None)
    (path,) = tmp_path.glob("*.jsonl")
    line = json.dumps({"event_id": "evt_2", "body": "{}"}).encode() + b"\n"
    with open(path, "ab") as fh:
        fh.write(line[:10])
    offsets: dict[str, int] = {}
    torn: list[TornLine] = []
    assert [r["event_id"] for r in read_journal(tmp_path, torn, offsets)] == ["evt_1"]
    assert torn == []
    with open(path, "ab") as fh:
        fh.write(line[10:])
    assert [r["event_id"] for r in read_journal(tmp_path, torn, offsets)] == ["evt_2"]
    assert offsets == {path.name: path.stat().st_size} and torn == []
    store.close()


def test_the_landing_cursor_moves_when_a_delivery_lands(tmp_path):
    empty = landing_cursor(tmp_path)
    store = LandingStore(tmp_path / "landing" / "webhooks")
    store.store(delivery("evt_1"), {}, None)
    first = landing_cursor(tmp_path)
    store.store(delivery("evt_1"), {}, None)
    assert landing_cursor(tmp_path) == first != empty
    store.store(delivery("evt_2"), {}, None)
    store.close()
    assert landing_cursor(tmp_path) not in (first, empty)


def variant(event_id: str, amount: int, pending: int = 0) -> Delivery:
    event = {"id": event_id, "type": "charge.succeeded", "created": 1, "pending_webhooks": pending,
             "data": {"object": {"id": "ch_1", "amount": amount}}}  # fmt: skip
    return Delivery(body=json.dumps(event), event=event)


def test_every_distinct_body_of_an_id_is_stored_once_up_to_the_bound(tmp_path):
    store = LandingStore(tmp_path, max_bodies=3)
    assert store.store(variant("evt_1", 1), {}, None).status == "stored"
    assert store.store(variant("evt_1", 1, pending=2), {}, None).status == "duplicate"
    assert store.store(variant("evt_1", 2), {}, None).status == "stored"
    assert store.store(variant("evt_1", 3), {}, None).status == "stored"
    assert store.store(variant("evt_1", 4), {}, None).status == "over_limit"
    assert store.store(variant("evt_1", 2), {}, None).status == "duplicate"
    assert store.store(variant("evt_2", 4), {}, None).status == "stored"
    store.close()
    reopened = LandingStore(tmp_path, max_bodies=3)
    assert reopened.store(variant("evt_1", 3), {}, None).status == "duplicate"
    assert reopened.store(variant("evt_1", 5), {}, None).status == "over_limit"
    reopened.close()
    amounts = [json.loads(r["body"])["data"]["object"]["amount"] for r in read_journal(tmp_path)]
    assert amounts == [1, 2, 3, 4]
