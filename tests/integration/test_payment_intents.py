"""Every PaymentIntent a charge names is served, extracted and in the mart, consistent with it.

Through the stripe SDK against the sandbox over HTTP, then in the warehouse
the main job built from it (`built_warehouse`): raw, staging and the
`payment_intents` mart.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest
import stripe

PARTIAL_STATUSES = {"requires_payment_method", "canceled"}


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


@pytest.fixture(scope="module")
def charges(client) -> list:
    return list(client.v1.charges.list({"limit": 100}).auto_paging_iter())


@pytest.fixture(scope="module")
def intents(client) -> dict:
    listed = client.v1.payment_intents.list({"limit": 100}).auto_paging_iter()
    return {intent.id: intent for intent in listed}


def charges_by_intent(charges) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    for charge in charges:
        if charge.payment_intent:
            found[charge.payment_intent].append(charge)
    return found


def test_every_intent_a_charge_names_is_listed_and_agrees_with_its_charges(charges, intents):
    by_intent = charges_by_intent(charges)
    assert by_intent, "no charge names a payment intent"
    assert set(by_intent) <= set(intents), sorted(set(by_intent) - set(intents))[:5]
    for intent_id, attempts in by_intent.items():
        intent = intents[intent_id]
        newest = max(attempts, key=lambda c: (c.created, c.id))
        succeeded = [c for c in attempts if c.status == "succeeded"]
        assert intent.latest_charge == newest.id, intent_id
        assert intent.currency == newest.currency and intent.customer == newest.customer
        assert all(c.amount == intent.amount for c in attempts), intent_id
        assert intent.amount_received == sum(c.amount_captured for c in succeeded), intent_id
        assert intent.amount_capturable == 0
        assert intent.status == ("succeeded" if succeeded else intent.status)
        if not succeeded:
            assert intent.status in PARTIAL_STATUSES, intent_id
            assert intent.last_payment_error.code == newest.failure_code


def test_statuses_include_failed_abandoned_canceled_and_processing(charges, intents):
    statuses = {intent.status for intent in intents.values()}
    assert {"succeeded", "requires_payment_method", "canceled", "processing"} <= statuses
    named = set(charges_by_intent(charges))
    no_charge = [i for i in intents.values() if i.id not in named]
    assert no_charge and all(i.latest_charge is None for i in no_charge)
    assert all(i.amount_received == 0 for i in no_charge)
    canceled = [i for i in intents.values() if i.status == "canceled"]
    assert all(i.canceled_at and i.cancellation_reason for i in canceled)
    declined = [i for i in intents.values() if i.id in named and i.status != "succeeded"]
    assert declined, "no intent is left after a declined charge"


def test_intents_land_in_raw_and_the_mart_with_their_charges(charges, intents, built_warehouse):
    by_intent = charges_by_intent(charges)
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        raw = {r[0] for r in con.execute("select id from raw_stripe.payment_intents").fetchall()}
        mart = {
            row[0]: row[1:]
            for row in con.execute(
                "select payment_intent_id, latest_charge_id, charge_count, amount_captured,"
                " amount, currency, status, outcome from marts.payment_intents"
                " where account_id is null"
            ).fetchall()
        }
    assert set(intents) <= raw
    assert set(mart) == set(intents)
    for intent_id, intent in intents.items():
        latest, count, captured, amount, currency, status, outcome = mart[intent_id]
        attempts = by_intent.get(intent_id, [])
        assert (latest, count, amount, currency, status) == (
            intent.latest_charge,
            len(attempts),
            intent.amount,
            intent.currency,
            intent.status,
        ), intent_id
        assert captured == intent.amount_received, intent_id
        if not attempts and status == "requires_payment_method":
            assert outcome == "abandoned"
    outcomes = {row[-1] for row in mart.values()}
    assert {"succeeded", "failed", "abandoned", "canceled", "processing"} <= outcomes
