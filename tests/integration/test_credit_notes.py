"""Credit notes as Stripe defines them, through the stripe SDK and in the warehouse marts.

A note's `amount` is the sum of its lines' amounts less their discounts; a
pre-payment note lowers its invoice's `amount_due` and `amount_remaining`
(`pre_payment_credit_notes_amount`); a post-payment note's money goes back
as refunds of the invoice's charge or as a customer balance transaction;
`customer.balance` is the sum of the customer's balance transactions.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest
import stripe

from stripe_sandbox.store import open_reader, read_meta


@pytest.fixture(scope="module")
def client(sandbox):
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


@pytest.fixture(scope="module")
def notes(client):
    return list(client.v1.credit_notes.list({"limit": 100}).auto_paging_iter())


@pytest.fixture(scope="module")
def balance_transactions(client):
    """Every customer's balance transactions, by customer id (oldest first)."""
    found = {}
    for customer in client.v1.customers.list({"limit": 100}).auto_paging_iter():
        listed = client.v1.customers.balance_transactions.list(customer.id, {"limit": 100})
        txns = list(listed.auto_paging_iter())
        assert [t.created for t in txns] == sorted((t.created for t in txns), reverse=True)
        found[customer.id] = (customer, txns[::-1])
    return found


def invoice_charge(client, invoice_id: str) -> str:
    payments = client.v1.invoice_payments.list({"invoice": invoice_id, "limit": 100})
    charges = {p.payment.charge for p in payments.auto_paging_iter() if p.status == "paid"}
    assert len(charges) == 1, (invoice_id, charges)
    return charges.pop()


def test_pre_and_post_payment_notes_occur_with_refunds_and_balance_credits(notes):
    kinds = {n.type for n in notes}
    assert {"pre_payment", "post_payment"} <= kinds
    assert any(n.refunds for n in notes) and any(n.customer_balance_transaction for n in notes)


def test_a_notes_amount_is_the_sum_of_its_lines(client, notes):
    for note in notes:
        lines = list(client.v1.credit_notes.line_items.list(note.id).auto_paging_iter())
        assert lines, note.id
        assert note.amount == sum(line.amount - line.discount_amount for line in lines), note.id
        assert note.amount == note.pre_payment_amount + note.post_payment_amount
        assert [line.id for line in note.lines.data] == [line.id for line in lines][:10]


def test_pre_payment_notes_lower_what_the_invoice_owes(client, notes):
    pre, post = defaultdict(int), defaultdict(int)
    for note in notes:
        if note.status == "issued":
            pre[note.invoice] += note.pre_payment_amount
            post[note.invoice] += note.post_payment_amount
    for invoice_id in {n.invoice for n in notes}:
        invoice = client.v1.invoices.retrieve(invoice_id)
        assert invoice.pre_payment_credit_notes_amount == pre[invoice_id], invoice_id
        assert invoice.post_payment_credit_notes_amount == post[invoice_id], invoice_id
        applied = (invoice.ending_balance or 0) - invoice.starting_balance  # customer credit
        owed = invoice.total - applied - invoice.pre_payment_credit_notes_amount
        assert invoice.amount_due == owed, invoice_id
        assert invoice.amount_remaining == invoice.amount_due - invoice.amount_paid, invoice_id
        if pre[invoice_id]:
            assert invoice.status in ("open", "uncollectible", "paid"), invoice_id


def test_post_payment_notes_refund_the_invoices_charge_or_credit_the_balance(
    client, notes, balance_transactions
):
    by_id = {t.id: t for _, txns in balance_transactions.values() for t in txns}
    for note in (n for n in notes if n.type == "post_payment"):
        refunded = 0
        for entry in note.refunds:
            refund = client.v1.refunds.retrieve(entry.refund)
            assert refund.amount == entry.amount_refunded and refund.status == "succeeded"
            assert refund.charge == invoice_charge(client, note.invoice), note.id
            refunded += entry.amount_refunded
        credited = note.post_payment_amount - refunded - (note.out_of_band_amount or 0)
        if note.customer_balance_transaction is None:
            assert credited == 0, note.id
            continue
        if note.customer_balance_transaction not in by_id:  # a deleted customer's: not listed
            assert client.v1.customers.retrieve(note.customer).to_dict().get("deleted"), note.id
            continue
        txn = by_id[note.customer_balance_transaction]
        assert (txn.type, txn.credit_note, txn.amount) == ("credit_note", note.id, -credited)
        assert txn.currency == note.currency and txn.customer == note.customer


def test_a_customers_balance_is_the_sum_of_its_balance_transactions(client, balance_transactions):
    types = set()
    for customer, txns in balance_transactions.values():
        for txn in (t for t in txns if t.type == "applied_to_invoice"):
            invoice = client.v1.invoices.retrieve(txn.invoice)
            assert invoice.customer == customer.id and invoice.currency == txn.currency
            assert txn.amount == invoice.ending_balance - invoice.starting_balance > 0
            owed = invoice.total - txn.amount - invoice.pre_payment_credit_notes_amount
            assert invoice.amount_due == owed, invoice.id
        assert customer.balance == sum(t.amount for t in txns), customer.id
        if txns:
            assert txns[-1].ending_balance == customer.balance
            assert {t.currency for t in txns} == {customer.currency}
        types |= {t.type for t in txns}
    assert {"credit_note", "adjustment", "applied_to_invoice"} <= types


def rows(warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_raw_tables_hold_the_accounts_own_counts(built_warehouse, small_account):
    meta = read_meta(open_reader(small_account))
    for table in ("credit_notes", "credit_note_line_items", "customer_balance_transactions"):
        sql = f"select count(distinct id) from raw_stripe.{table} where account is null"
        assert rows(built_warehouse, sql)[0][0] == int(meta[f"count:{table}"]) > 0, table


def test_the_marts_hold_the_same_credit_notes(built_warehouse, client, notes):
    marts = {
        r[0]: r[1:]
        for r in rows(
            built_warehouse,
            "select credit_note_id, invoice_id, credit_note_type, status, amount,"
            " pre_payment_amount, post_payment_amount, refunded_amount,"
            " customer_balance_credit_amount, refund_ids, currency"
            " from marts.credit_notes where account_id is null",
        )
    }
    assert set(marts) == {n.id for n in notes}
    for note in notes:
        refunded = sum(r.amount_refunded for r in note.refunds)
        credited = note.post_payment_amount - refunded if note.customer_balance_transaction else 0
        assert marts[note.id] == (
            note.invoice, note.type, note.status, note.amount, note.pre_payment_amount,
            note.post_payment_amount, refunded, credited, [r.refund for r in note.refunds],
            note.currency,
        )  # fmt: skip


def test_in_the_marts_lines_sum_to_notes_and_notes_to_invoices_refunds_and_balances(
    built_warehouse,
):
    def one(sql: str) -> list[tuple]:
        return rows(built_warehouse, sql)

    assert not one(
        "select n.credit_note_id from marts.credit_notes n"
        " left join marts.credit_note_lines l using (credit_note_id)"
        " group by n.credit_note_id, n.amount"
        " having n.amount <> coalesce(sum(l.credited_amount), 0)"
    )
    assert not one(
        "with applied as (select invoice_id, sum(amount) as applied"
        "  from marts.customer_balance_transactions"
        "  where transaction_type = 'applied_to_invoice' group by invoice_id)"
        " select i.invoice_id from marts.invoices i join marts.credit_notes n using (invoice_id)"
        " left join applied using (invoice_id)"
        " group by i.invoice_id, i.total, i.amount_due, i.amount_paid, i.amount_remaining, applied"
        " having i.amount_due <> i.total - coalesce(applied, 0)"
        "  - coalesce(sum(n.pre_payment_amount) filter (where n.status = 'issued'), 0)"
        " or i.amount_remaining <> i.amount_due - i.amount_paid"
    )
    assert not one(
        "select n.credit_note_id from marts.credit_notes n"
        " join marts.invoices i using (invoice_id)"
        " cross join unnest(n.refund_ids) as r(refund_id)"
        " left join staging.stg_stripe__refunds f on f.refund_id = r.refund_id"
        " group by n.credit_note_id, n.refunded_amount, i.charge_id"
        " having n.refunded_amount <> sum(f.amount) or bool_or(f.charge_id <> i.charge_id)"
        " or bool_or(f.charge_id is null)"
    )
    assert not one(
        "select n.credit_note_id from marts.credit_notes n"
        " left join marts.customer_balance_transactions t"
        "  on t.customer_balance_transaction_id = n.customer_balance_transaction_id"
        " where n.customer_balance_transaction_id is not null"
        " and (t.amount is null or -t.amount <> n.customer_balance_credit_amount"
        "  or t.credit_note_id <> n.credit_note_id or t.currency <> n.currency)"
    )
    assert not one(
        "select c.customer_id from marts.customers c"
        " join marts.customer_balance_transactions t using (customer_id)"
        " group by c.customer_id having count(distinct t.currency) > 1"
    )
