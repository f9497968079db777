"""Platform money of Connect, as Stripe shows it and as the warehouse keeps it.

Through the real `stripe` SDK against the `small` sandbox: the platform's
application fees equal its `application_fee` balance transactions per month
and currency (a fee in a currency the platform does not settle is compared
in the transaction's currency, converted at its `exchange_rate`), fee refunds
likewise its `application_fee_refund` ones; then `marts.application_fees_monthly`
holds the same sums after a pipeline run. Every connected account the
platform's transfers and fees name is an `account`, and `transfer_reversals`
holds exactly the reversals the transfers embed.
"""

from __future__ import annotations

import math
from collections import Counter

import duckdb
import pytest
import stripe

from pipeline.catalog import ZERO_DECIMAL_CURRENCIES
from pipeline.months import month_of


@pytest.fixture(scope="module")
def client(sandbox):
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


def every(service, params=None, options=None) -> list:
    return list(service.list({"limit": 100, **(params or {})}, options).auto_paging_iter())


@pytest.fixture(scope="module")
def fees(client) -> list:
    return every(client.v1.application_fees)


@pytest.fixture(scope="module")
def platform_transactions(client) -> dict[str, dict]:
    """The platform's fee and fee-refund balance transactions, by type then id."""
    return {
        kind: {t.id: t for t in every(client.v1.balance_transactions, {"type": kind})}
        for kind in ("application_fee", "application_fee_refund")
    }


def in_settlement_currency(amount: int, currency: str, txn) -> int:
    """`amount` of `currency` as the transaction holds it: as is, or converted at its
    `exchange_rate` (rounded half up to the minor unit, as Stripe's balance does)."""
    if txn.exchange_rate is None:
        assert txn.currency == currency
        return amount
    minor = {c: 1 if c in ZERO_DECIMAL_CURRENCIES else 100 for c in (currency, txn.currency)}
    value = abs(amount) * txn.exchange_rate * minor[txn.currency] / minor[currency]
    return int(math.copysign(math.floor(value + 0.5), amount))


def monthly_transactions(transactions: dict) -> Counter:
    totals: Counter = Counter()
    for txn in transactions.values():
        totals[month_of(txn.created), txn.currency] += txn.amount
    return totals


def test_fees_equal_the_platforms_application_fee_transactions_per_month_and_currency(
    fees, platform_transactions
):
    txns = platform_transactions["application_fee"]
    assert len(fees) > 10 and {f.balance_transaction for f in fees} == set(txns)
    expected: Counter = Counter()
    for fee in fees:
        txn = txns[fee.balance_transaction]
        assert (txn.source, txn.reporting_category) == (fee.id, "platform_earning")
        expected[month_of(fee.created), txn.currency] += in_settlement_currency(
            fee.amount, fee.currency, txn
        )
    assert len(expected) > 2
    assert expected == monthly_transactions(txns)
    assert {f.currency for f in fees} - {t.currency for t in txns.values()}  # some converted


def test_fee_refunds_equal_the_platforms_refund_transactions_per_month_and_currency(
    fees, platform_transactions
):
    txns = platform_transactions["application_fee_refund"]
    refunds = [(fee, r) for fee in fees for r in fee.refunds.data]
    assert refunds and {r.balance_transaction for _, r in refunds} == set(txns)
    expected: Counter = Counter()
    for fee, refund in refunds:
        txn = txns[refund.balance_transaction]
        assert txn.source == refund.id and refund.currency == fee.currency
        expected[month_of(refund.created), txn.currency] -= in_settlement_currency(
            refund.amount, refund.currency, txn
        )
    assert expected == monthly_transactions(txns)


def nonzero(totals: Counter) -> Counter:
    """The totals without their zeros (a month with refunds only takes no fee)."""
    return Counter({key: value for key, value in totals.items() if value})


def mart_rows(warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_application_fees_monthly_equals_the_platforms_transactions(
    built_warehouse, fees, platform_transactions
):
    rows = mart_rows(
        built_warehouse,
        "select month, currency, settlement_currency, fee_count, fee_refund_count,"
        " total_amount, total_refunded, total_net, total_settled_amount,"
        " total_settled_refunded, total_settled_net from marts.application_fees_monthly",
    )
    settled, settled_back, taken, given_back, counts = (Counter() for _ in range(5))
    for month, cur, settle, n, n_refunds, amount, refunded, net, s_amount, s_back, s_net in rows:
        assert net == amount - refunded and s_net == s_amount - s_back
        settled[month, settle] += s_amount
        settled_back[month, settle] -= s_back
        taken[month, cur] += amount
        given_back[month, cur] += refunded
        counts[month, cur] += n
        counts["refunds"] += n_refunds
    assert nonzero(settled) == monthly_transactions(platform_transactions["application_fee"])
    assert nonzero(settled_back) == monthly_transactions(
        platform_transactions["application_fee_refund"]
    )
    expected_taken, expected_back, expected_counts = Counter(), Counter(), Counter()
    for fee in fees:
        expected_taken[month_of(fee.created), fee.currency] += fee.amount
        expected_counts[month_of(fee.created), fee.currency] += 1
        for refund in fee.refunds.data:
            expected_back[month_of(refund.created), refund.currency] += refund.amount
            expected_counts["refunds"] += 1
    assert (nonzero(taken), nonzero(given_back), counts) == (
        expected_taken, expected_back, expected_counts)  # fmt: skip


def test_every_connected_account_the_platform_names_is_in_accounts(client, fees, built_warehouse):
    accounts = every(client.v1.accounts)
    ids = {a.id for a in accounts}
    transfers = every(client.v1.transfers)
    named = {t.destination for t in transfers} | {f.account for f in fees}
    assert transfers and named and named <= ids
    for account in accounts:
        assert account.type in ("standard", "express", "custom")
        assert account.charges_enabled and account.payouts_enabled and account.details_submitted
        assert client.v1.accounts.retrieve(account.id).to_dict() == account.to_dict()
        charges = every(client.v1.charges, options={"stripe_account": account.id})
        assert {c.currency for c in charges if c.application_fee} <= {account.default_currency}
    mart = mart_rows(
        built_warehouse,
        "select connected_account_id, account_type, country, default_currency,"
        " is_charges_enabled, is_payouts_enabled from marts.connected_accounts",
    )
    assert sorted(mart) == sorted(
        (a.id, a.type, a.country, a.default_currency, True, True) for a in accounts
    )


def test_transfer_reversals_are_the_reversals_transfers_embed(client, built_warehouse):
    transfers = every(client.v1.transfers)
    embedded = sorted(
        (r.id, r.transfer, t.destination, r.amount, r.currency)
        for t in transfers
        for r in t.reversals.data
    )
    assert embedded and all(r.transfer == t.id for t in transfers for r in t.reversals.data)
    paged = sorted(
        r.id for t in transfers for r in client.v1.transfers.reversals.list(t.id).auto_paging_iter()
    )
    assert paged == [e[0] for e in embedded]
    raw = mart_rows(built_warehouse, "select distinct id from raw_stripe.transfer_reversals")
    assert sorted(r for (r,) in raw) == paged
    mart = mart_rows(
        built_warehouse,
        "select transfer_reversal_id, transfer_id, connected_account_id, amount, currency"
        " from marts.transfer_reversals",
    )
    assert sorted(mart) == embedded


def test_connected_account_totals_per_currency(client, fees, built_warehouse):
    expected: dict[tuple[str, str], list[int]] = {}
    for transfer in every(client.v1.transfers):
        totals = expected.setdefault((transfer.destination, transfer.currency), [0] * 4)
        totals[0] += transfer.amount
        totals[1] += transfer.amount_reversed
    for fee in fees:
        totals = expected.setdefault((fee.account, fee.currency), [0] * 4)
        totals[2] += fee.amount
        totals[3] += fee.amount_refunded
    rows = mart_rows(
        built_warehouse,
        "select connected_account_id, currency, total_transferred, total_reversed,"
        " total_application_fees, total_application_fees_refunded, total_paid_out"
        " from marts.connected_account_currency_totals",
    )
    assert {(a, c): list(totals) for a, c, *totals, _ in rows} == expected
    assert all(paid_out is None for *_, paid_out in rows)  # no connected account's own rows
