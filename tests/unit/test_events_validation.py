"""Validation verdicts against a Stripe that answers from dicts."""

from __future__ import annotations

import pytest
from stripe_double import MemoryLookup

from pipeline.catalog import EVENT_RETENTION_SECONDS
from pipeline.events.authenticity import validate_event
from pipeline.events.handlers import HandlerRegistry

NOW = 1_800_000_000


def charge(**fields) -> dict:
    base = {
        "id": "ch_1",
        "object": "charge",
        "created": NOW - 100,
        "amount": 500,
        "currency": "usd",
        "metadata": {},
    }
    return {**base, **fields}


def event(obj: dict, account: str | None = None, **fields) -> dict:
    base = {
        "id": "evt_1",
        "object": "event",
        "type": "charge.updated",
        "created": NOW - 50,
        "api_version": "2026-10-28.endive",
        "account": account,
        "data": {"object": obj},
    }
    return {**base, **fields}


@pytest.fixture
def stripe_double() -> MemoryLookup:
    stripe = MemoryLookup()
    stripe.events[(None, "evt_1")] = event(charge())
    stripe.objects[(None, "ch_1")] = charge()
    return stripe


def test_an_authentic_event_is_valid_and_carries_stripes_copy(stripe_double):
    received = event(charge())
    received["data"]["previous_attributes"] = {"amount": 400}
    verdict = validate_event(received, stripe_double, NOW)
    assert (verdict.status, verdict.valid, verdict.differing_fields) == ("valid", True, ())
    assert verdict.refetched["data"]["object"]["amount"] == 500


def test_altered_data_and_unknown_ids_are_forged(stripe_double):
    altered = validate_event(event(charge(amount=1)), stripe_double, NOW)
    assert (altered.status, altered.valid, altered.differing_fields) == (
        "forged",
        False,
        ("data.object.amount",),
    )
    retyped = validate_event(event(charge(), type="charge.refunded"), stripe_double, NOW)
    assert retyped.differing_fields == ("type",)
    unknown = validate_event(event(charge(), id="evt_madeup"), stripe_double, NOW)
    assert (unknown.status, unknown.valid) == ("forged", False)


def test_an_unknown_event_older_than_retention_is_not_found(stripe_double):
    old = event(charge(), id="evt_old", created=NOW - EVENT_RETENTION_SECONDS - 1)
    assert validate_event(old, stripe_double, NOW).status == "not_found"
    recent = event(charge(), id="evt_old", created=NOW - EVENT_RETENTION_SECONDS + 60)
    assert validate_event(recent, stripe_double, NOW).status == "forged"


def test_a_payload_in_an_older_api_version_still_validates(stripe_double):
    older = charge(legacy_field="x")
    older.pop("currency")
    received = event(older, api_version="2024-06-20")
    assert validate_event(received, stripe_double, NOW).status == "valid"
    same_version_extra = event(charge(legacy_field="x"))
    assert validate_event(same_version_extra, stripe_double, NOW).status == "forged"
    tampered = event({**older, "amount": 9}, api_version="2024-06-20")
    assert validate_event(tampered, stripe_double, NOW).status == "forged"


def test_connect_events_are_refetched_under_their_account(stripe_double):
    stripe_double.events[("acct_1", "evt_c")] = event(charge(id="ch_c"), "acct_1", id="evt_c")
    stripe_double.objects[("acct_1", "ch_c")] = charge(id="ch_c")
    received = event(charge(id="ch_c"), "acct_1", id="evt_c")
    assert validate_event(received, stripe_double, NOW).status == "valid"
    wrong_account = event(charge(id="ch_c"), "acct_other", id="evt_c")
    assert validate_event(wrong_account, stripe_double, NOW).status == "forged"


def test_consistency_with_the_object_now(stripe_double):
    stripe_double.objects[(None, "ch_1")] = charge(amount=500, refunded=True, metadata={"a": "1"})
    newer = validate_event(event(charge()), stripe_double, NOW)
    assert (newer.status, newer.valid, newer.differing_fields) == (
        "object_newer",
        True,
        ("metadata.a",),
    )
    stripe_double.objects[(None, "ch_1")] = {"id": "ch_1", "object": "charge", "deleted": True}
    assert validate_event(event(charge()), stripe_double, NOW).status == "deleted"
    del stripe_double.objects[(None, "ch_1")]
    assert validate_event(event(charge()), stripe_double, NOW).status == "object_not_found"


def test_objects_without_a_retrieve_path_are_unchecked(stripe_double):
    link = {"id": "plink_1", "object": "payment_link", "active": True}
    stripe_double.events[(None, "evt_pl")] = event(link, id="evt_pl")
    verdict = validate_event(event(link, id="evt_pl"), stripe_double, NOW)
    assert (verdict.status, verdict.valid) == ("unchecked", True)


def test_handlers_register_per_type_with_a_wildcard_and_unique_names():
    registry = HandlerRegistry()

    @registry.on("charge.refunded")
    @registry.on("charge.updated")
    def on_charge(event, conn):
        pass

    def everything(event, conn):
        pass

    registry.on("*")(everything)
    assert registry.handlers_for("charge.refunded") == [on_charge, everything]
    assert registry.handlers_for("payout.paid") == [everything]
    registry.on("*")(lambda event, conn: None)
    with pytest.raises(ValueError, match="already named"):
        registry.on("*")(lambda event, conn: None)
