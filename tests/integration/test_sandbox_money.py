"""The sandbox's money balances like a real Stripe account, to the minor unit.

Checked over the whole `small` and `default` accounts, read from the store;
payout reconciliation is checked once more through the real `stripe` SDK
against the sandbox server.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import orjson
import pytest
import stripe

from stripe_sandbox.generator import ensure_account
from stripe_sandbox.generator.money import DISPUTE_FEE, card_fee
from stripe_sandbox.resources import ZERO_DECIMAL_CURRENCIES
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader


@pytest.fixture(scope="module", params=["small", "small_multicurrency", "default"])
def account_file(request, tmp_path_factory):
    return ensure_account(request.param, data_dir=tmp_path_factory.mktemp(request.param))


@pytest.fixture(scope="module")
def store(account_file):
    return open_reader(account_file)


def load(store, resource: str) -> dict[tuple[str, str], dict]:
    """(account, id) → body of every listable object of a resource, all accounts."""
    rows = store.execute(
        "select account, id, body from objects where resource = ? and deleted = 0", (resource,)
    )
    return {(account, oid): orjson.loads(body) for account, oid, body in rows}


def settles(txn: dict, amount: int, currency: str) -> bool:
    """The transaction holds `amount` of `currency`: as is, or converted at its exchange rate.

    Stripe's `exchange_rate` is settlement per presentment currency in major
    units; the converted amount is rounded to the settlement minor unit (±1).
    """
    if txn["exchange_rate"] is None:
        return (txn["amount"], txn["currency"]) == (amount, currency)
    unit = {c: 1 if c in ZERO_DECIMAL_CURRENCIES else 100 for c in (currency, txn["currency"])}
    expected = amount * txn["exchange_rate"] * unit[txn["currency"]] / unit[currency]
    return txn["currency"] != currency and abs(txn["amount"] - expected) <= 1


def payout_rows(store) -> dict[tuple[str, str], list[str]]:
    """(account, payout id) → ids of the transactions listed with `?payout=`."""
    rows = store.execute(
        "select account, value, id from object_filters"
        " where resource = 'balance_transactions' and name = 'payout'"
    )
    listed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for account, payout, txn in rows:
        listed[account, payout].append(txn)
    return listed


def test_every_transaction_nets_its_fee_and_fees_add_up(store):
    txns = load(store, "balance_transactions")
    assert len(txns) > 300
    for txn in txns.values():
        assert txn["net"] == txn["amount"] - txn["fee"]
        assert txn["fee"] == sum(d["amount"] for d in txn["fee_details"])
        assert all(d["currency"] == txn["currency"] for d in txn["fee_details"])
        assert txn["available_on"] >= txn["created"] - txn["created"] % 86_400


def test_succeeded_charges_have_a_card_fee_transaction_and_failed_ones_none(store):
    txns, charges = load(store, "balance_transactions"), load(store, "charges")
    statuses = Counter(c["status"] for c in charges.values())
    assert statuses["succeeded"] and statuses["failed"]
    for (account, charge_id), charge in charges.items():
        if charge["status"] == "failed":
            assert charge["balance_transaction"] is None and charge["failure_code"]
            continue
        txn = txns[account, charge["balance_transaction"]]
        assert txn["source"] == charge_id
        assert settles(txn, charge["amount"], charge["currency"]), charge_id
        if txn["type"] == "charge":
            converted = txn["exchange_rate"] is not None
            conversion = (txn["amount"] + 50) // 100 if converted else 0  # 1% conversion fee
            stripe_fees = [d["amount"] for d in txn["fee_details"] if d["type"] == "stripe_fee"]
            assert sum(stripe_fees) == card_fee(txn["amount"], txn["currency"]) + conversion
            taken = [d["amount"] for d in txn["fee_details"] if d["type"] == "application_fee"]
            assert taken == (
                [charge["application_fee_amount"]] if charge["application_fee"] else []
            )
            assert txn["available_on"] > charge["created"]


def test_every_payout_sweeps_exactly_its_balance_and_nothing_is_paid_twice(store):
    txns, payouts = load(store, "balance_transactions"), load(store, "payouts")
    listed = payout_rows(store)
    assert {p["status"] for p in payouts.values()} >= {
        "paid", "failed", "canceled", "in_transit"}  # fmt: skip
    for (account, payout_id), payout in payouts.items():
        items = [txns[account, txn_id] for txn_id in listed[account, payout_id]]
        swept = [t for t in items if t["type"] != "payout"]
        own = [t for t in items if t["type"] == "payout"]
        assert [t["id"] for t in own] == [payout["balance_transaction"]]
        assert payout["amount"] > 0
        assert sum(t["net"] for t in swept) == payout["amount"]
        assert sum(t["net"] for t in items) == 0
        assert {t["currency"] for t in items} == {payout["currency"]}
        assert all(t["available_on"] <= payout["created"] for t in swept)
    times_listed = Counter(t for ids in listed.values() for t in ids)
    assert max(times_listed.values()) == 1


def test_failed_and_canceled_payouts_return_their_funds_to_a_later_payout(store):
    txns, payouts = load(store, "balance_transactions"), load(store, "payouts")
    swept_by = {(a, t): p for (a, p), ids in payout_rows(store).items() for t in ids}
    returned = {(a, t["source"]): t for (a, _), t in txns.items()
                if t["type"] in ("payout_failure", "payout_cancel")}  # fmt: skip
    for (account, payout_id), payout in payouts.items():
        if payout["status"] not in ("failed", "canceled"):
            continue
        back = returned[account, payout_id]
        assert back["amount"] == back["net"] == payout["amount"]
        if payout["status"] == "failed":
            assert payout["failure_balance_transaction"] == back["id"] and payout["failure_code"]
        later = swept_by.get((account, back["id"]))
        if later is not None:
            assert payouts[account, later]["created"] > payout["created"]


def test_balance_per_currency_is_what_payouts_have_not_taken(store):
    """All transactions of a currency sum to the transactions no payout has listed."""
    txns = load(store, "balance_transactions")
    swept = {(a, t) for (a, _), ids in payout_rows(store).items() for t in ids}
    total, unpaid = Counter(), Counter()
    for key, txn in txns.items():
        total[key[0], txn["currency"]] += txn["net"]
        if key not in swept:
            unpaid[key[0], txn["currency"]] += txn["net"]
    assert total == unpaid


def test_refunds_never_exceed_their_charge(store):
    charges, refunds = load(store, "charges"), load(store, "refunds")
    txns = load(store, "balance_transactions")
    refunded: Counter = Counter()
    for (account, _), refund in refunds.items():
        charge = charges[account, refund["charge"]]
        assert refund["currency"] == charge["currency"] and refund["amount"] > 0
        txn = txns[account, refund["balance_transaction"]]
        assert settles(txn, -refund["amount"], refund["currency"])
        assert txn["currency"] == txns[account, charge["balance_transaction"]]["currency"]
        refunded[account, refund["charge"]] += refund["amount"]
    assert any(r["created"] - charges[a, r["charge"]]["created"] > 60 * 86_400
               for (a, _), r in refunds.items())  # fmt: skip
    for key, amount in refunded.items():
        charge = charges[key]
        assert amount == charge["amount_refunded"] <= charge["amount"]
        assert charge["refunded"] == (amount == charge["amount"])


def test_disputes_debit_amount_plus_fee_and_won_ones_return_the_amount(store):
    txns, disputes = load(store, "balance_transactions"), load(store, "disputes")
    assert {d["status"] for d in disputes.values()} >= {"won", "lost", "needs_response"}
    for (account, _), dispute in disputes.items():
        embedded = dispute["balance_transactions"]
        assert embedded[0] == txns[account, embedded[0]["id"]]
        assert settles(embedded[0], -dispute["amount"], dispute["currency"])
        assert embedded[0]["fee"] == DISPUTE_FEE[embedded[0]["currency"]]
        assert embedded[0]["reporting_category"] == "dispute"
        if dispute["status"] == "won":
            assert embedded[1]["reporting_category"] == "dispute_reversal"
            assert settles(embedded[1], dispute["amount"], dispute["currency"])
            if embedded[0]["exchange_rate"] is None:  # converted ones move with the rate
                assert sum(t["net"] for t in embedded) == -DISPUTE_FEE[dispute["currency"]]
        else:
            assert len(embedded) == 1


def test_amounts_are_plausible_in_each_currency(store):
    for (_, _), charge in load(store, "charges").items():
        amount, currency = charge["amount"], charge["currency"]
        assert isinstance(amount, int)
        if currency == "jpy":
            assert 1_000 <= amount <= 500_000, charge["id"]  # whole yen, never x100
        else:
            assert 500 <= amount <= 5_000_000, charge["id"]


def test_invoice_amounts_are_consistent_with_lines_and_payments(store):
    invoices, payments = load(store, "invoices"), load(store, "invoice_payments")
    charges = load(store, "charges")
    line_totals: Counter = Counter()
    for account, parent, body in store.execute(
        "select account, parent, body from objects where resource = 'invoice_line_items'"
    ):
        line_totals[account, parent] += orjson.loads(body)["amount"]
    paid_by = {(a, p["invoice"]): p for (a, _), p in payments.items()}
    for key, invoice in invoices.items():
        assert invoice["subtotal"] == line_totals[key]
        discounts = sum(d["amount"] for d in invoice["total_discount_amounts"])
        taxes = [t for t in invoice["total_taxes"] if t["tax_behavior"] == "exclusive"]
        assert invoice["total"] == invoice["subtotal"] - discounts + sum(t["amount"] for t in taxes)
        credited = invoice["total"] - invoice["pre_payment_credit_notes_amount"]
        assert invoice["amount_due"] == max(0, credited + invoice["starting_balance"])
        assert invoice["amount_paid"] + invoice["amount_remaining"] == invoice["amount_due"]
        if invoice["status"] == "paid" and invoice["amount_paid"] > 0:
            payment = paid_by[key]
            charge = charges[key[0], payment["payment"]["charge"]]
            assert charge["amount"] == payment["amount_paid"] == invoice["amount_paid"]
            assert charge["currency"] == invoice["currency"]


@pytest.fixture(scope="module")
def small_client(tmp_path_factory):
    path = ensure_account("small", data_dir=tmp_path_factory.mktemp("sdk"))
    with SandboxServer(path) as server:
        yield stripe.StripeClient(server.api_key, base_addresses={"api": server.base_url})


def test_payouts_reconcile_through_the_stripe_sdk(small_client):
    payouts = list(small_client.v1.payouts.list({"limit": 100}).auto_paging_iter())
    assert len(payouts) > 20
    for payout in payouts:
        listed = small_client.v1.balance_transactions.list({"payout": payout.id, "limit": 100})
        items = list(listed.auto_paging_iter())
        swept = sum(t.net for t in items if t.type != "payout")
        assert swept == payout.amount, payout.id
        assert sum(t.net for t in items) == 0
        assert {t.currency for t in items} == {payout.currency}
