"""The marts of tax, coupons, schedules, Checkout, payment methods and Radar hold what Stripe lists.

Through the stripe SDK against the sandbox over HTTP, then in the warehouse the
main job built from it (`built_warehouse`): sums per currency, id sets and
links agree, so each object has a place in the marts that a test can fail.
"""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest
import stripe

FINALIZED = ("open", "paid", "uncollectible")


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


def listed(service, params: dict | None = None) -> list:
    return list(service.list({"limit": 100, **(params or {})}).auto_paging_iter())


def rows(warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_tax_monthly_holds_every_finalized_invoices_taxes_per_currency(client, built_warehouse):
    expected: Counter[tuple[str, bool]] = Counter()
    for invoice in listed(client.v1.invoices):
        if invoice.status not in FINALIZED:
            continue
        for tax in invoice.total_taxes or []:
            expected[invoice.currency, tax.tax_behavior == "inclusive"] += tax.amount
    got = rows(
        built_warehouse,
        "select currency, is_inclusive, sum(total_tax) from marts.tax_monthly"
        " where account_id is null group by all",
    )
    assert {(c, i): int(t) for c, i, t in got} == {k: v for k, v in expected.items() if v}
    assert len(expected) >= 2  # exclusive and inclusive taxes both occur


def test_coupons_mart_holds_every_coupon_with_its_promotion_codes(client, built_warehouse):
    codes = Counter(p.promotion.coupon for p in listed(client.v1.promotion_codes))
    expected = {c.id: (c.times_redeemed, codes.get(c.id, 0)) for c in listed(client.v1.coupons)}
    got = rows(
        built_warehouse, "select coupon_id, times_redeemed, promotion_code_count from marts.coupons"
    )
    assert {c: (t, n) for c, t, n in got} == expected
    assert any(n for _, n in expected.values())


def test_subscription_schedules_mart_names_each_schedules_subscription(client, built_warehouse):
    expected = {s.id: (s.subscription, s.status) for s in listed(client.v1.subscription_schedules)}
    got = rows(
        built_warehouse,
        "select subscription_schedule_id, subscription_id, status"
        " from marts.subscription_schedules",
    )
    assert {i: (s, st) for i, s, st in got} == expected and expected


def test_checkout_sessions_mart_sums_each_sessions_line_items(client, built_warehouse):
    sessions = listed(client.v1.checkout.sessions)
    expected = {}
    for session in sessions[:40]:  # line items are a request per session
        items = list(client.v1.checkout.sessions.line_items.list(session.id).auto_paging_iter())
        expected[session.id] = (session.payment_intent, len(items), session.amount_total)
    got = rows(
        built_warehouse,
        "select checkout_session_id, payment_intent_id, line_item_count, amount_total"
        " from marts.checkout_sessions",
    )
    by_id = {i: (p, n, a) for i, p, n, a in got}
    assert set(by_id) == {s.id for s in sessions}
    assert {i: by_id[i] for i in expected} == expected


def test_payment_methods_mart_holds_every_customers_saved_methods(client, built_warehouse):
    expected = {}
    for customer in listed(client.v1.customers):
        for method in client.v1.customers.payment_methods.list(customer.id).auto_paging_iter():
            expected[method.id] = (customer.id, method.type)
    got = rows(
        built_warehouse,
        "select payment_method_id, customer_id, payment_method_type from marts.payment_methods",
    )
    assert {i: (c, t) for i, c, t in got} == expected
    assert {"card"} < set(t for _, t in expected.values())  # bank debits too


def test_radar_signals_flag_every_reviewed_or_warned_charge(client, built_warehouse):
    reviewed = {r.charge for r in listed(client.v1.reviews) if r.charge}
    warned = {w.charge for w in listed(client.v1.radar.early_fraud_warnings)}
    got = rows(
        built_warehouse,
        "select charge_id, review_id is not null, early_fraud_warning_id is not null"
        " from marts.radar_signals",
    )
    assert {c for c, _, _ in got} == reviewed | warned
    assert {c for c, r, _ in got if r} == reviewed and {c for c, _, w in got if w} == warned
    assert reviewed and warned
