"""Radar reviews and early fraud warnings agree with their charges, through the SDK and raw."""

from __future__ import annotations

import duckdb
import pytest
import stripe


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


@pytest.fixture(scope="module")
def charges(client) -> dict:
    return {c.id: c for c in client.v1.charges.list({"limit": 100}).auto_paging_iter()}


def test_each_review_names_a_charge_in_review_and_its_intent(client, charges):
    reviews = list(client.v1.reviews.list({"limit": 100}).auto_paging_iter())
    assert reviews
    for review in reviews:
        charge = charges[review.charge]
        assert charge.review == review.id
        assert charge.outcome.type == "manual_review"
        assert review.payment_intent == charge.payment_intent
        intent = client.v1.payment_intents.retrieve(charge.payment_intent)
        assert intent.review == review.id
        assert review.open == (review.closed_reason is None)
    in_review = {c.id for c in charges.values() if c.review}
    assert in_review == {r.charge for r in reviews}


def test_each_early_fraud_warning_precedes_the_dispute_of_its_charge(client, charges):
    warnings = list(client.v1.radar.early_fraud_warnings.list({"limit": 100}).auto_paging_iter())
    assert warnings
    disputes = {d.charge: d for d in client.v1.disputes.list({"limit": 100}).auto_paging_iter()}
    for warning in warnings:
        charge, dispute = charges[warning.charge], disputes[warning.charge]
        assert charge.disputed and not warning.actionable
        assert charge.created < warning.created <= dispute.created
        assert warning.payment_intent == charge.payment_intent


def test_reviews_and_warnings_land_in_raw(client, built_warehouse):
    listed = {
        "reviews": {r.id for r in client.v1.reviews.list({"limit": 100}).auto_paging_iter()},
        "early_fraud_warnings": {
            w.id for w in client.v1.radar.early_fraud_warnings.list().auto_paging_iter()
        },
    }
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for table, ids in listed.items():
            sql = f"select id from raw_stripe.{table} where account is null"
            assert {r[0] for r in con.execute(sql).fetchall()} == ids, table
