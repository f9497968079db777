"""Every invoice's total is its subtotal less its discounts plus its exclusive taxes.

Through the stripe SDK against the sandbox over HTTP (every invoice, every
line), then in the warehouse the main job built from it (`built_warehouse`):
the `invoices` and `invoice_line_items` marts carry the same amounts. Some
invoices really have discounts and taxes, inclusive and exclusive.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest
import stripe

from stripe_sandbox.store import open_reader, read_meta

BILLING_TABLES = (
    "coupons", "promotion_codes", "tax_rates", "subscription_items", "subscription_schedules",
)  # fmt: skip


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


@pytest.fixture(scope="module")
def invoices(client) -> dict:
    listed = client.v1.invoices.list({"limit": 100}).auto_paging_iter()
    return {invoice.id: invoice for invoice in listed}


@pytest.fixture(scope="module")
def lines(client, invoices) -> dict:
    return {
        invoice_id: list(client.v1.invoices.line_items.list(invoice_id).auto_paging_iter())
        for invoice_id in invoices
    }


@pytest.fixture(scope="module")
def tax_rates(client) -> dict:
    return {r.id: r for r in client.v1.tax_rates.list({"limit": 100}).auto_paging_iter()}


def exclusive(taxes) -> int:
    return sum(t.amount for t in taxes or [] if t.tax_behavior == "exclusive")


def discounted(amounts) -> int:
    return sum(d.amount for d in amounts or [])


def test_every_invoice_total_is_subtotal_less_discounts_plus_exclusive_taxes(invoices):
    assert invoices
    for invoice in invoices.values():
        expected = invoice.subtotal - discounted(invoice.total_discount_amounts)
        assert invoice.total == expected + exclusive(invoice.total_taxes), invoice.id
        # what is charged: the total less pre-payment credit notes and customer credit
        credited = invoice.total - invoice.pre_payment_credit_notes_amount
        assert invoice.amount_due == max(0, credited + invoice.starting_balance), invoice.id
        inclusive = sum(t.amount for t in invoice.total_taxes or []) - exclusive(
            invoice.total_taxes
        )
        assert invoice.total_excluding_tax == expected - inclusive, invoice.id


def test_each_line_carries_its_share_of_the_invoice_discounts_and_taxes(invoices, lines):
    for invoice_id, invoice in invoices.items():
        found = lines[invoice_id]
        assert sum(line.amount for line in found) == invoice.subtotal, invoice_id
        line_discounts = sum(discounted(line.discount_amounts) for line in found)
        assert line_discounts == discounted(invoice.total_discount_amounts), invoice_id
        line_taxes = sum(t.amount for line in found for t in line.taxes or [])
        assert line_taxes == sum(t.amount for t in invoice.total_taxes or []), invoice_id
        net = sum(line.amount - discounted(line.discount_amounts) + exclusive(line.taxes)
                  for line in found)  # fmt: skip
        assert net == invoice.total, invoice_id


def test_each_line_tax_is_its_rate_of_the_discounted_amount(lines, tax_rates):
    for line in (line for found in lines.values() for line in found):
        for tax in line.taxes or []:
            rate = tax_rates[tax.tax_rate_details.tax_rate]
            after_discount = line.amount - discounted(line.discount_amounts)
            percent = Decimal(str(rate.percentage))
            if rate.inclusive:
                share = after_discount * percent / (100 + percent)
                assert tax.taxable_amount == after_discount - tax.amount, line.id
            else:
                share = after_discount * percent / 100
                assert tax.taxable_amount == after_discount, line.id
            assert tax.amount == int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP)), line.id
            assert (tax.tax_behavior == "inclusive") == rate.inclusive


def test_some_invoices_really_have_discounts_and_taxes(invoices, tax_rates):
    values = list(invoices.values())
    assert sum(discounted(i.total_discount_amounts) > 0 for i in values) > 0
    assert sum(exclusive(i.total_taxes) > 0 for i in values) > 0
    inclusive = [i for i in values if any(t.tax_behavior == "inclusive" for t in i.total_taxes)]
    assert any(t.amount > 0 for i in inclusive for t in i.total_taxes)
    assert {r.inclusive for r in tax_rates.values()} == {True, False}


def test_discounted_subscriptions_name_their_discount_and_coupons_are_listed(client):
    subscriptions = client.v1.subscriptions.list({"status": "all", "limit": 100})
    discounted_subs = [s for s in subscriptions.auto_paging_iter() if s.discounts]
    coupons = list(client.v1.coupons.list({"limit": 100}).auto_paging_iter())
    codes = list(client.v1.promotion_codes.list({"limit": 100}).auto_paging_iter())
    assert coupons and codes
    assert {c.promotion.coupon for c in codes} <= {c.id for c in coupons}
    redeemed = sum(c.times_redeemed for c in coupons)
    assert redeemed >= len(discounted_subs) and redeemed > 0


def test_the_marts_agree_with_stripe(built_warehouse, invoices, lines):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        marts = {
            row[0]: row[1:]
            for row in con.execute(
                "select invoice_id, subtotal, discount_amount, exclusive_tax, inclusive_tax,"
                " total, total = subtotal - discount_amount + exclusive_tax"
                " from marts.invoices where account_id is null"
            ).fetchall()
        }
        line_rows = {
            row[0]: row[1:]
            for row in con.execute(
                "select invoice_line_item_id, amount, discount_amount, exclusive_tax,"
                " net_amount from marts.invoice_line_items where account_id is null"
            ).fetchall()
        }
    assert set(marts) == set(invoices)
    for invoice_id, invoice in invoices.items():
        taxes = sum(t.amount for t in invoice.total_taxes or [])
        excl = exclusive(invoice.total_taxes)
        assert marts[invoice_id] == (
            invoice.subtotal,
            discounted(invoice.total_discount_amounts),
            excl,
            taxes - excl,
            invoice.total,
            True,
        ), invoice_id
        for line in lines[invoice_id]:
            line_discount, line_tax = discounted(line.discount_amounts), exclusive(line.taxes)
            assert line_rows[line.id] == (
                line.amount, line_discount, line_tax, line.amount - line_discount + line_tax
            ), line.id  # fmt: skip


def test_the_subscription_items_mart_has_every_item_with_its_subscription(built_warehouse, client):
    subscriptions = client.v1.subscriptions.list({"status": "all", "limit": 100})
    expected = {
        item.id: (sub.id, item.price.id, item.price.product, item.quantity, sub.status)
        for sub in subscriptions.auto_paging_iter()
        for item in client.v1.subscription_items.list({"subscription": sub.id}).auto_paging_iter()
    }
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        rows = con.execute(
            "select subscription_item_id, subscription_id, price_id, product_id, quantity,"
            " subscription_status from marts.subscription_items where account_id is null"
        ).fetchall()
    assert expected and {row[0]: row[1:] for row in rows} == expected


def test_the_raw_tables_hold_the_accounts_own_counts(built_warehouse, small_account):
    meta = read_meta(open_reader(small_account))
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for table in BILLING_TABLES:
            sql = f"select count(distinct id) from raw_stripe.{table} where account is null"
            assert con.execute(sql).fetchone()[0] == int(meta[f"count:{table}"]) > 0, table
