"""Checkout Sessions and their line items agree with the payments they took, SDK and raw."""

from __future__ import annotations

import duckdb
import pytest
import stripe


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


@pytest.fixture(scope="module")
def sessions(client) -> list:
    return list(client.v1.checkout.sessions.list({"limit": 100}).auto_paging_iter())


@pytest.fixture(scope="module")
def lines(client, sessions) -> dict[str, list]:
    items = client.v1.checkout.sessions.line_items
    return {s.id: list(items.list(s.id).auto_paging_iter()) for s in sessions}


def test_completed_sessions_name_the_intent_that_took_their_payment(client, sessions, lines):
    assert {s.status for s in sessions} == {"complete", "expired"}
    for session in sessions:
        (line,) = lines[session.id]
        assert line.amount_total == session.amount_total == session.amount_subtotal
        assert line.currency == session.currency and line.price.unit_amount == line.amount_total
        if session.status == "expired":
            assert session.payment_intent is None and session.payment_status == "unpaid"
            continue
        assert session.payment_status == "paid" and session.mode == "payment"
        intent = client.v1.payment_intents.retrieve(session.payment_intent)
        assert intent.status == "succeeded" and intent.amount == session.amount_total
        assert intent.customer == session.customer and intent.created >= session.created


def test_sessions_and_their_lines_land_in_raw(sessions, lines, built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        raw_sessions = con.execute(
            "select id from raw_stripe.checkout_sessions where account is null"
        ).fetchall()
        raw_lines = con.execute(
            "select id, checkout_session_id from raw_stripe.checkout_session_line_items"
            " where account is null"
        ).fetchall()
    assert {r[0] for r in raw_sessions} == {s.id for s in sessions}
    assert set(raw_lines) == {(line.id, sid) for sid, found in lines.items() for line in found}
