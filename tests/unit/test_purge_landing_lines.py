"""Blanking landing files: same byte length per line, offsets valid, the receiver's file kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.events.webhooks.delivery import Delivery
from pipeline.events.webhooks.landing import LandingStore
from pipeline.purge.event_tables import blanked_or_dropped
from pipeline.purge.landing import LandingLineTooLong, apply_landing, plan_landing
from pipeline.raw.journal import Journal, read_journal

PURGED = frozenset({"cus_A1"})
SIGNED = {"stripe-signature": "t=1700000000,v1=" + "ab" * 32, "content-type": "application/json"}


def delivery(event_id: str, customer: str, name: str) -> Delivery:
    billing = {"email": f"{name}@example.com", "name": name, "phone": ""}
    charge = {"id": f"ch_{event_id}", "object": "charge", "customer": customer, "amount": 900,
              "billing_details": billing}  # fmt: skip
    event = {"id": event_id, "object": "event", "type": "charge.succeeded", "created": 1,
             "data": {"object": charge}}  # fmt: skip
    return Delivery(body=json.dumps(event, separators=(",", ":"), ensure_ascii=False), event=event)


def land(folder: Path, *deliveries: Delivery) -> LandingStore:
    store = LandingStore(folder)
    for d in deliveries:
        store.store(d, SIGNED, "127.0.0.1")
    return store


def as_dead_writer(path: Path) -> Path:
    parts = path.stem.split("-")
    parts[-3] = str(2**22 + 1)  # above any Linux pid_max
    return path.rename(path.with_name("-".join(parts) + path.suffix))


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_a_closed_file_is_replaced_with_same_length_lines_and_offsets_stay_valid(tmp_path):
    folder = tmp_path / "landing" / "webhooks"
    land(folder, delivery("evt_1", "cus_B2", "chloé"), delivery("evt_2", "cus_A1", "zoé")).close()
    path = as_dead_writer(next(folder.glob("*.jsonl")))
    before, inode = lines(path), path.stat().st_ino
    offsets: dict[str, int] = {}
    assert len(list(read_journal(folder, offsets=offsets))) == 2

    assert apply_landing(plan_landing(tmp_path, PURGED)) == 1

    after = lines(path)
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert [len(line) for line in after] == [len(line) for line in before]
    assert after[0] == before[0]  # another customer's delivery (and its é) byte for byte
    record = json.loads(after[1])
    body = json.loads(record["body"])
    assert body["data"]["object"]["billing_details"] == {"email": None, "name": None, "phone": None}
    assert body["data"]["object"]["amount"] == 900 and record["event_id"] == "evt_2"
    assert record["headers"]["stripe-signature"] is None
    assert b"zo" not in after[1]
    assert list(read_journal(folder, offsets=offsets)) == []  # nothing new to ingest
    assert not list(folder.glob(".*"))  # no scratch file left


def test_the_file_of_a_running_receiver_is_blanked_in_place_and_appends_go_on(tmp_path):
    folder = tmp_path / "landing" / "webhooks"
    store = land(folder, delivery("evt_1", "cus_A1", "ann"))
    (path,) = folder.glob("*.jsonl")
    inode, offsets = path.stat().st_ino, {}
    list(read_journal(folder, offsets=offsets))

    assert apply_landing(plan_landing(tmp_path, PURGED)) == 1
    store.store(delivery("evt_2", "cus_B2", "bob"), SIGNED, None)  # the receiver writes on
    store.close()

    assert path.stat().st_ino == inode and list(folder.glob("*.jsonl")) == [path]
    assert b"ann" not in path.read_bytes()
    later = list(read_journal(folder, offsets=offsets))
    assert [r["event_id"] for r in later] == ["evt_2"]  # the later delivery, from the old offset


def test_rejected_deliveries_lose_a_body_prefix_naming_the_customer(tmp_path):
    journal = Journal(tmp_path / "landing" / "rejections", "rejections")
    journal.append({"reason": "bad_signature", "body_prefix": '{"customer":"cus_A1","email":"a@'})
    journal.append({"reason": "bad_signature", "body_prefix": '{"customer":"cus_A10"'})
    journal.close()
    (path,) = (tmp_path / "landing" / "rejections").glob("*.jsonl")
    before = lines(path)
    apply_landing(plan_landing(tmp_path, PURGED))
    after = lines(path)
    assert json.loads(after[0])["body_prefix"] is None and len(after[0]) == len(before[0])
    assert after[1] == before[1]


def test_a_line_that_cannot_shrink_is_refused_before_anything_is_written(tmp_path):
    journal = Journal(tmp_path / "landing" / "webhooks", "deliveries")
    body = json.dumps({"id": "evt_1", "object": "customer", "customer": "cus_A1",
                       **{f"k{i}": {"object": "x", "customer": "cus_A1", "phone": ""}
                          for i in range(3)}})  # fmt: skip
    journal.append({"event_id": "evt_1", "body": body.replace(" ", "")})
    journal.close()
    (path,) = (tmp_path / "landing" / "webhooks").glob("*.jsonl")
    before = path.read_bytes()
    with pytest.raises(LandingLineTooLong, match="at byte 0"):
        plan_landing(tmp_path, PURGED)
    assert path.read_bytes() == before


def test_a_torn_line_naming_the_customer_becomes_spaces_unless_still_being_written(tmp_path):
    folder = tmp_path / "landing" / "webhooks"
    land(folder, delivery("evt_1", "cus_B2", "bob")).close()
    (path,) = folder.glob("*.jsonl")
    torn = b'{"event_id":"evt_2","body":"{\\"customer\\":\\"cus_A1\\",\\"email\\":\\"ann@'
    with open(path, "ab") as handle:
        handle.write(torn)
    assert plan_landing(tmp_path, PURGED) == {}  # our own pid: the writer may still finish it
    path = as_dead_writer(path)
    first = lines(path)[0]
    assert apply_landing(plan_landing(tmp_path, PURGED)) == 1
    assert path.read_bytes() == first + b" " * len(torn)


def test_event_table_payloads_are_blanked_or_dropped():
    event = delivery("evt_1", "cus_A1", "ann").body
    record = json.dumps({"event_id": "evt_1", "body": event, "headers": SIGNED})
    assert "ann" not in blanked_or_dropped(event, PURGED)
    assert "ann" not in blanked_or_dropped(record, PURGED)  # an unreadable landing record
    assert json.loads(blanked_or_dropped(record, PURGED))["event_id"] == "evt_1"
    assert blanked_or_dropped(record[:60] + "cus_A1\\", PURGED) is None  # torn text naming them
    assert blanked_or_dropped('{"x":"cus_A10', PURGED) == '{"x":"cus_A10'
    other = delivery("evt_2", "cus_B2", "chloé").body
    assert blanked_or_dropped(other, PURGED) is other
