"""Canonical comparison: rendering differences are not differences, values are."""

from __future__ import annotations

from pipeline.events.compare import differing_fields


def test_key_order_and_expansion_do_not_matter():
    a = {"id": "ch_1", "amount": 5, "customer": "cus_1"}
    b = {"customer": {"id": "cus_1", "object": "customer"}, "amount": 5, "id": "ch_1"}
    assert differing_fields(a, b) == []


def test_changed_values_are_named_by_path():
    a = {"amount": 5, "outcome": {"type": "authorized"}, "refunds": {"data": [{"amount": 1}]}}
    b = {"amount": 6, "outcome": {"type": "blocked"}, "refunds": {"data": [{"amount": 2}]}}
    assert differing_fields(a, b) == ["amount", "outcome.type", "refunds.data[0].amount"]
    assert differing_fields({"paid": True}, {"paid": 1}) == ["paid"]
    assert differing_fields([1], [1, 2], path="lines") == ["lines"]


def test_one_sided_fields_count_unless_tolerant():
    older = {"id": "in_1", "charge": "ch_1", "total": 100}
    newer = {"id": "in_1", "parent": {"type": "subscription_details"}, "total": 100}
    assert differing_fields(older, newer) == ["charge", "parent"]
    assert differing_fields(older, newer, tolerant=True) == []
    assert differing_fields(older, {**newer, "total": 90}, tolerant=True) == ["total"]


def test_metadata_is_compared_key_by_key_even_when_tolerant():
    real = {"id": "ch_1", "metadata": {"order": "7"}}
    tampered = {"id": "ch_1", "metadata": {"order": "7", "tampered": "true"}}
    assert differing_fields(tampered, real, tolerant=True) == ["metadata.tampered"]
