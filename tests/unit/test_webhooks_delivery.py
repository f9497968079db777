"""Checks on one delivery: signature (rotation, staleness), JSON and fields."""

from __future__ import annotations

import json
import time

import pytest
import stripe

from pipeline.events.webhooks.delivery import Rejection, check_delivery
from pipeline.settings import webhook_secrets

SECRET = "whsec_current"
OLD_SECRET = "whsec_previous"


def event_body(**overrides) -> str:
    event = {
        "id": "evt_1",
        "object": "event",
        "type": "charge.succeeded",
        "created": 1_700_000_000,
        "data": {"object": {"id": "ch_1", "object": "charge", "amount": 500}},
    }
    event.update(overrides)
    return json.dumps(event)


def signed(body: str, secret: str = SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)


def reason(body: str, header: str | None, secrets=(SECRET,)) -> str:
    with pytest.raises(Rejection) as caught:
        check_delivery(body.encode(), header, secrets, 300)
    return caught.value.reason


def test_a_signed_event_passes_with_any_rotated_secret():
    body = event_body()
    for secret in (SECRET, OLD_SECRET):
        delivery = check_delivery(body.encode(), signed(body, secret), (SECRET, OLD_SECRET), 300)
        assert delivery.event_id == "evt_1"
        assert delivery.body == body


def test_signature_failures_are_named():
    body = event_body()
    assert reason(body, None) == "missing_signature"
    assert reason(body, signed(body, "whsec_wrong")) == "bad_signature"
    altered = body.replace("500", "50000")
    assert reason(altered, signed(body)) == "bad_signature"
    assert reason(body, signed(body, timestamp=int(time.time()) - 301)) == "stale_timestamp"
    assert reason(body, signed(body, timestamp=int(time.time()) + 3600)) == "future_timestamp"
    assert reason(body, signed(body, timestamp=2**70)) == "future_timestamp"
    assert reason(body, "garbage") == "bad_signature"
    assert reason(body, signed(body), secrets=()) == "bad_signature"


def test_body_problems_are_named_after_the_signature_passes():
    for body, expected in [
        ("{not json", "malformed_json"),
        ("[1, 2]", "malformed_json"),
        (event_body(id=None), "missing_fields"),
        (event_body(created="yesterday"), "invalid_fields"),
        (event_body(data={"previous_attributes": {}}), "missing_fields"),
    ]:
        assert reason(body, signed(body)) == expected


def test_missing_fields_still_report_the_event_id():
    body = event_body(type=None)
    with pytest.raises(Rejection) as caught:
        check_delivery(body.encode(), signed(body), (SECRET,), 300)
    assert caught.value.event_id == "evt_1"
    assert "type" in caught.value.detail


def test_non_utf8_body_is_refused():
    assert reason("x", None) == "missing_signature"
    with pytest.raises(Rejection) as caught:
        check_delivery(b"\xff\xfe", "t=1,v1=00", (SECRET,), 300)
    assert caught.value.reason == "malformed_body"


def test_webhook_secrets_split_on_commas():
    env = {"STRIPE_WEBHOOK_SECRET": " whsec_a, whsec_b ,,"}
    assert webhook_secrets(env) == ("whsec_a", "whsec_b")
    assert webhook_secrets({}) == ()


def test_a_timestamp_within_the_tolerance_either_side_passes():
    body = event_body()
    for offset in (-290, 290):
        header = signed(body, timestamp=int(time.time()) + offset)
        assert check_delivery(body.encode(), header, (SECRET,), 300).event_id == "evt_1"


POISON = {
    "created_overflow": {"created": 2**63},
    "created_negative": {"created": -1},
    "created_bool": {"created": True},
    "livemode_string": {"livemode": "yes"},
    "account_number": {"account": 123},
    "account_shape": {"account": "acct_x/../y"},
    "api_version_object": {"api_version": {}},
    "request_id_number": {"request": {"id": 5}},
    "object_id_number": {"data": {"object": {"id": 7, "object": "charge"}}},
    "object_id_path": {"data": {"object": {"id": "../ch_1", "object": "charge"}}},
    "previous_attributes_list": {"data": {"object": {"id": "ch_1"}, "previous_attributes": []}},
    "pending_webhooks_string": {"pending_webhooks": "1"},
    "object_not_event": {"object": "charge"},
    "type_shape": {"type": "charge succeeded"},
}
BAD_IDS = ["evt_X/", "../events/evt_X", "x/../evt_X", "evt_X%2F", "evt_X#frag", "evt_", "ch_1"]


@pytest.mark.parametrize("name", sorted(POISON))
def test_a_signed_delivery_with_wrong_envelope_types_is_refused(name):
    body = event_body(**POISON[name])
    with pytest.raises(Rejection) as caught:
        check_delivery(body.encode(), signed(body), (SECRET,), 300)
    assert (caught.value.status, caught.value.reason) == (400, "invalid_fields")
    assert caught.value.event_id == "evt_1"


@pytest.mark.parametrize("event_id", BAD_IDS)
def test_an_event_id_not_shaped_like_stripes_is_refused(event_id):
    body = event_body(id=event_id)
    assert reason(body, signed(body)) == "invalid_fields"
