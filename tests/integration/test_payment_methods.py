"""Saved payment methods and the setup intents that saved them, through the SDK and raw.

Every customer's default payment method is listed under it as the card its
charges show; some customers also save a bank debit; every listed method has
the succeeded SetupIntent that saved it; the raw tables hold what the SDK lists.
"""

from __future__ import annotations

import duckdb
import pytest
import stripe


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


@pytest.fixture(scope="module")
def methods(client) -> dict[str, list]:
    """Customer id → its payment methods, listed per customer."""
    customers = client.v1.customers.list({"limit": 100}).auto_paging_iter()
    return {
        c.id: list(client.v1.customers.payment_methods.list(c.id).auto_paging_iter())
        for c in customers
    }


@pytest.fixture(scope="module")
def setups(client) -> list:
    return list(client.v1.setup_intents.list({"limit": 100}).auto_paging_iter())


def test_each_customer_lists_its_card_as_its_charges_show_it(client, methods):
    customers = {c.id: c for c in client.v1.customers.list({"limit": 100}).auto_paging_iter()}
    charges = list(client.v1.charges.list({"limit": 100}).auto_paging_iter())
    cards = {m.id: m for listed in methods.values() for m in listed if m.type == "card"}
    for customer_id, listed in methods.items():
        default = customers[customer_id].invoice_settings.default_payment_method
        assert default in {m.id for m in listed}, customer_id
        assert all(m.customer == customer_id for m in listed)
    for charge in charges:
        card = cards.get(charge.payment_method)
        if card is None or charge.customer not in methods:
            continue
        details = charge.payment_method_details.card
        assert (card.card.last4, card.card.brand, card.card.fingerprint) == (
            details.last4,
            details.brand,
            details.fingerprint,
        )
    types = {m.type for listed in methods.values() for m in listed}
    assert {"card", "sepa_debit", "us_bank_account"} <= types


def test_every_listed_method_was_saved_by_a_succeeded_setup_intent(methods, setups):
    saved = {s.payment_method: s for s in setups if s.status == "succeeded"}
    for customer_id, listed in methods.items():
        for method in listed:
            assert method.id in saved, method.id
            assert saved[method.id].customer == customer_id
            assert (saved[method.id].mandate is not None) == (method.type != "card")
    statuses = {s.status for s in setups}
    assert {"succeeded", "canceled", "requires_payment_method"} <= statuses


def test_raw_tables_hold_every_listed_method_and_setup_intent(methods, setups, built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        raw_methods = {
            r[0]
            for r in con.execute(
                "select id from raw_stripe.payment_methods where account is null"
            ).fetchall()
        }
        raw_setups = {
            r[0]
            for r in con.execute(
                "select id from raw_stripe.setup_intents where account is null"
            ).fetchall()
        }
        staged = con.execute(
            "select count(*), count(distinct payment_method_type)"
            " from staging.stg_stripe__payment_methods where account_id is null"
        ).fetchone()
    listed = {m.id for found in methods.values() for m in found}
    assert listed == raw_methods
    assert {s.id for s in setups} <= raw_setups
    assert staged == (len(listed), 3)
