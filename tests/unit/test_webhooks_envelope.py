"""The envelope check, fuzzed: whatever it accepts fits the columns and URLs downstream."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.events.table import ROW_SCHEMA, event_row
from pipeline.events.webhooks.envelope import EnvelopeError, check_envelope
from pipeline.stripe_ids import InvalidStripeId, checked, is_event_id, path_segment

GOOD = {
    "id": "evt_1NG8Du2eZvKYlo2C",
    "object": "event",
    "type": "charge.succeeded",
    "created": 1_700_000_000,
    "livemode": False,
    "api_version": "2026-10-28.endive",
    "pending_webhooks": 1,
    "request": {"id": "req_1", "idempotency_key": None},
    "data": {"object": {"id": "ch_1", "object": "charge", "amount": 5}},
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["evt_1", "evt_X/", "../evt_1", "acct_1", "2026-10-28.endive", "a.b"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
FIELDS = [*GOOD, "account", "context"]
mutations = st.dictionaries(st.sampled_from(FIELDS), values, max_size=4)
object_mutations = st.dictionaries(st.sampled_from(["id", "object"]), values, max_size=2)


def mutated(changes: dict, object_changes: dict) -> dict:
    event = json.loads(json.dumps(GOOD))
    event.update(changes)
    data = event.get("data")
    if isinstance(data, dict) and isinstance(data.get("object"), dict):
        data["object"].update(object_changes)
    return event


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations, object_mutations)
def test_an_accepted_envelope_always_makes_a_typed_row(changes, object_changes):
    event = mutated(changes, object_changes)
    try:
        check_envelope(event)
    except EnvelopeError as error:
        assert error.reason in ("missing_fields", "invalid_fields")
        return
    payload = json.dumps(event)
    row = event_row(payload, "webhook", datetime.now(UTC))
    arrays = [pa.array([value], type=f.type) for value, f in zip(row, ROW_SCHEMA, strict=True)]
    assert len(arrays) == len(ROW_SCHEMA)
    assert is_event_id(event["id"])


def test_the_genuine_envelope_passes():
    assert check_envelope(json.loads(json.dumps(GOOD)))["id"] == GOOD["id"]


@pytest.mark.parametrize("bad", ["evt_X/", "../events/evt_X", "x/../evt_X", "evt_X%2F", "evt_X#f"])
def test_ids_for_urls_are_checked_not_cleaned(bad):
    with pytest.raises(InvalidStripeId):
        checked(bad, "event")
    assert checked("evt_X", "event") == "evt_X"
    with pytest.raises(InvalidStripeId):
        checked("acct_1/../x", "account")
    assert checked("gold-plan_2.0", "object") == "gold-plan_2.0"
    for bad_object in ("../x", ".hidden", "..", "a\nb", ""):
        with pytest.raises(InvalidStripeId):
            checked(bad_object, "object")
    for owner_chosen in ("a/b", "a?b", "a#b", "a%2F"):  # one encoded path segment each
        assert "/" not in path_segment(owner_chosen) and "?" not in path_segment(owner_chosen)
