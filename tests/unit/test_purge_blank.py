"""Blanking JSON text: only what names a purged customer changes, the rest is kept byte for byte."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from pipeline.purge.guard import PurgeRefused, check_customer_id
from pipeline.raw.blanking import blank_purged, blank_text

PURGED = frozenset({"cus_A1"})


def charge(customer: str, name: str) -> str:
    """A payload as the raw layer writes it (orjson: compact, non-ASCII as is)."""
    billing = {"email": "x@example.com", "name": name}
    obj = {"id": "ch_1", "object": "charge", "customer": customer, "amount": 500,
           "billing_details": billing}  # fmt: skip
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def test_a_payload_of_another_customer_is_the_same_string():
    for other in ("cus_B2", "cus_A1B", "cus_A"):  # a longer id that starts with the purged one
        payload = charge(other, "chloé")
        assert blank_text(payload, PURGED) is payload


def test_a_payload_that_only_mentions_the_id_is_kept_as_is():
    payload = '{"id": "txn_1", "metadata": {"for": "cus_A1"}, "x": "chloé"}'  # not its `customer`
    assert blank_text(payload, PURGED) is payload


def test_the_purged_customer_is_blanked_and_non_ascii_is_not_escaped():
    obj = json.loads(charge("cus_A1", "chloé"))
    obj["description"] = None
    obj["statement_descriptor"] = "Café Zoë"
    blanked = blank_text(json.dumps(obj, ensure_ascii=False), PURGED)
    assert "Café Zoë" in blanked and "\\u00e9" not in blanked
    assert json.loads(blanked)["billing_details"] == {"email": None, "name": None}
    assert json.loads(blanked)["amount"] == 500


def test_blank_purged_keeps_unrelated_rows_identical():
    payloads = [charge("cus_B2", "chloé"), charge("cus_A1", "Ann"), None, charge("cus_A10", "é")]
    table = pa.table({"id": ["a", "b", "c", "d"], "payload": payloads})
    out = blank_purged(table, PURGED).column("payload").to_pylist()
    assert [out[0], out[2], out[3]] == [payloads[0], None, payloads[3]]
    assert "Ann" not in out[1] and json.loads(out[1])["customer"] == "cus_A1"
    untouched = pa.table({"id": ["a"], "payload": [payloads[0]]})
    assert blank_purged(untouched, PURGED) is untouched


@pytest.mark.parametrize(
    "customer_id", ["cus_", "cus", "", "cus_abc def", "cus_abc;drop", "ch_123", "cus_é1", "CUS_1"]
)
def test_ids_stripe_could_not_have_issued_are_refused(customer_id):
    with pytest.raises(PurgeRefused, match="not a Stripe customer id"):
        check_customer_id(customer_id)


def test_a_stripe_customer_id_passes():
    check_customer_id("cus_NffrFeUfNV2Hib")
