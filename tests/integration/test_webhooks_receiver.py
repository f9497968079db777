"""The receiver over real HTTP: stored, duplicate, refused — and what lands on disk."""

from __future__ import annotations

import json
import time

import httpx
import pytest
import stripe

from pipeline.events.webhooks.running import ReceiverProcess
from pipeline.raw.journal import read_journal

SECRET = "whsec_integration"
ROTATED = "whsec_next"
CREATED = int(time.time())


def event_body(event_id: str, amount: int = 500) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "charge.succeeded",
            "created": CREATED,
            "account": "acct_connected",
            "data": {"object": {"id": "ch_1", "object": "charge", "amount": amount}},
        }
    )


def signature(body: str, secret: str = SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)


def post(url: str, body: str, header: str | None = "sign"):
    """POST `body`; `header="sign"` signs it with SECRET, None sends no signature."""
    headers = {"content-type": "application/json"}
    if header is not None:
        headers["stripe-signature"] = signature(body) if header == "sign" else header
    return httpx.post(url, content=body.encode(), headers=headers, timeout=10)


@pytest.fixture(scope="module")
def receiver(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("receiver")
    with ReceiverProcess(data_dir, secrets=(SECRET, ROTATED)) as running:
        yield running


def landed_ids(receiver) -> list[str]:
    return [r["event_id"] for r in read_journal(receiver.data_dir / "landing" / "webhooks")]


def rejections(receiver) -> list[dict]:
    return list(read_journal(receiver.data_dir / "landing" / "rejections"))


def test_a_valid_delivery_is_stored_once(receiver):
    body = event_body("evt_stored")
    first = post(receiver.url, body)
    again = post(receiver.url, body, signature(body, ROTATED))
    assert (first.status_code, first.json()["status"]) == (200, "stored")
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert landed_ids(receiver).count("evt_stored") == 1
    (record,) = [
        r
        for r in read_journal(receiver.data_dir / "landing" / "webhooks")
        if r["event_id"] == "evt_stored"
    ]
    assert record["body"] == body
    assert record["account"] == "acct_connected"
    assert record["source_address"] == "127.0.0.1"


FORGERIES = {
    "unsigned": (lambda body: (body, None), "missing_signature"),
    "wrong_secret": (lambda body: (body, signature(body, "whsec_wrong")), "bad_signature"),
    "stale": (
        lambda body: (body, signature(body, timestamp=int(time.time()) - 600)),
        "stale_timestamp",
    ),
    "altered": (lambda body: (body.replace("500", "9"), signature(body)), "bad_signature"),
}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_forged_deliveries_are_refused_and_recorded(receiver, name):
    forge, reason = FORGERIES[name]
    event_id = f"evt_forged_{name}"
    body, header = forge(event_body(event_id))
    answer = post(receiver.url, body, header)
    assert answer.status_code == 400
    assert answer.json()["error"] == reason
    assert event_id not in landed_ids(receiver)
    recorded = [r for r in rejections(receiver) if r["reason"] == reason]
    assert recorded and recorded[-1]["size"] == len(body.encode())
    assert recorded[-1]["source_address"] == "127.0.0.1"


def test_malformed_and_incomplete_bodies_are_refused(receiver):
    for body, reason in [
        ('{"id": "evt_bad", ', "malformed_json"),
        (json.dumps({"id": "evt_nodata", "type": "x", "created": 1}), "missing_fields"),
    ]:
        answer = post(receiver.url, body)
        assert (answer.status_code, answer.json()["error"]) == (400, reason)
    assert "evt_nodata" not in landed_ids(receiver)
    assert any(r["event_id"] == "evt_nodata" for r in rejections(receiver))


def test_an_oversized_body_is_refused(receiver):
    body = event_body("evt_huge").replace('"amount"', '"pad": "' + "x" * 1_100_000 + '", "amount"')
    answer = post(receiver.url, body)
    assert (answer.status_code, answer.json()["error"]) == (413, "body_too_large")
    assert "evt_huge" not in landed_ids(receiver)


def test_only_post_is_accepted(receiver):
    assert httpx.get(receiver.url).status_code == 405


def test_a_different_body_for_a_known_id_is_stored_beside_it_up_to_the_bound(receiver):
    genuine = event_body("evt_shadowed")
    assert post(receiver.url, genuine).json()["status"] == "stored"
    later = post(receiver.url, event_body("evt_shadowed", amount=1))
    assert (later.status_code, later.json()["status"]) == (200, "stored")
    for amount in range(2, 8):
        assert post(receiver.url, event_body("evt_shadowed", amount=amount)).status_code == 200
    over = post(receiver.url, event_body("evt_shadowed", amount=99))
    assert (over.status_code, over.json()["error"]) == (400, "too_many_bodies")
    assert post(receiver.url, genuine).json()["status"] == "duplicate"
    assert landed_ids(receiver).count("evt_shadowed") == 8
    assert any(
        r["reason"] == "too_many_bodies" and r["event_id"] == "evt_shadowed"
        for r in rejections(receiver)
    )
