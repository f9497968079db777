"""The monthly marts equal totals computed straight from the Stripe API, cent for cent.

The oracle reads the running sandbox with the official `stripe` SDK only (no
warehouse, no dbt): payouts, each automatic payout's transactions through
`balance_transactions.list(payout=…)`, charges and balance transactions. It
then compares with `marts.transfers_monthly` and `marts.charges_monthly`
(platform rows: the pipeline extracts the platform account).

The account settles in usd: a eur, gbp or jpy charge's balance transaction is
in usd (with its `exchange_rate`), payouts are usd only. So payouts group by
their (settlement) currency, and charges by the charge's currency and its
balance transaction's: amounts are summed in the first, fees and net in the second.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest
import stripe

pytestmark = pytest.mark.slow

# Stripe balance-transaction types → the origin's summary columns (independent of the dbt seed).
CHARGE_TYPES = {"charge", "payment"}
REFUND_TYPES = {"refund", "payment_refund", "payment_failure_refund"}
TRANSFER_COLUMNS = [
    "payout_count",
    "manual_payout_count",
    "total_gross",
    "total_net",
    "total_charge_fees",
    "total_adjustment_fees",
    "total_refund_gross",
    "total_refund_fees",
    "total_validation_fees",
    "total_amount",
]
CHARGE_COLUMNS = [
    "charge_count",
    "total_amount",
    "total_refunded",
    "total_settlement_amount",
    "total_fee",
    "total_net",
]


def utc_month(unix_seconds: int) -> str:
    return dt.datetime.fromtimestamp(unix_seconds, dt.UTC).strftime("%Y-%m")


def client_for(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


def payout_summary(client: stripe.StripeClient, payout) -> Counter:
    """The origin's Transfer summary of one automatic payout, from its transactions."""
    summary: Counter = Counter()
    listing = client.v1.balance_transactions.list({"payout": payout.id, "limit": 100})
    for txn in listing.auto_paging_iter():
        if txn.id == payout.balance_transaction:
            continue  # the payout's own transaction: what the others add up to
        summary["total_net"] += txn.net
        if txn.type in CHARGE_TYPES:
            summary["total_gross"] += txn.amount
            summary["total_charge_fees"] += txn.fee
        elif txn.type in REFUND_TYPES:
            summary["total_refund_gross"] += txn.amount
            summary["total_refund_fees"] += txn.fee
        elif txn.type == "adjustment":
            summary["total_adjustment_fees"] += txn.fee
        elif txn.type == "validation":
            summary["total_validation_fees"] += txn.fee
    return summary


def oracle_transfers_monthly(client: stripe.StripeClient) -> dict[tuple[str, str], dict]:
    totals: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for payout in client.v1.payouts.list({"limit": 100}).auto_paging_iter():
        if payout.status != "paid":
            continue
        row = totals[(utc_month(payout.arrival_date), payout.currency)]
        row["payout_count"] += 1
        row["total_amount"] += payout.amount
        if payout.automatic:
            row.update(payout_summary(client, payout))
        else:
            row["manual_payout_count"] += 1
    return {key: {c: row[c] for c in TRANSFER_COLUMNS} for key, row in totals.items()}


def oracle_charges_monthly(client: stripe.StripeClient) -> dict[tuple, dict]:
    """Paid charges per (month, currency, settlement currency): the charge's amounts in
    its currency, its balance transaction's in the transaction's currency."""
    transactions = {
        txn.id: txn
        for txn in client.v1.balance_transactions.list({"limit": 100}).auto_paging_iter()
    }
    totals: dict[tuple, Counter] = defaultdict(Counter)
    for charge in client.v1.charges.list({"limit": 100}).auto_paging_iter():
        if not charge.paid:
            continue
        txn = transactions.get(charge.balance_transaction) if charge.balance_transaction else None
        row = totals[(utc_month(charge.created), charge.currency, txn.currency if txn else None)]
        row["charge_count"] += 1
        row["total_amount"] += charge.amount
        row["total_refunded"] += charge.amount_refunded
        row["total_settlement_amount"] += txn.amount if txn else 0
        row["total_fee"] += txn.fee if txn else 0
        row["total_net"] += txn.net if txn else 0
    return {key: {c: row[c] for c in CHARGE_COLUMNS} for key, row in totals.items()}


def mart_rows(warehouse: Path, mart: str, keys: list[str], columns: list[str]) -> dict[tuple, dict]:
    # Default configuration: the pipeline run of this process may still hold the file open.
    with duckdb.connect(str(warehouse)) as conn:
        rows = conn.execute(
            f"select {', '.join(keys + columns)} from marts.{mart} where account_id is null"
        ).fetchall()
    n = len(keys)
    return {tuple(r[:n]): dict(zip(columns, r[n:], strict=True)) for r in rows}


def test_transfers_monthly_equals_the_api(built_warehouse: Path, sandbox) -> None:
    expected = oracle_transfers_monthly(client_for(sandbox))
    actual = mart_rows(
        built_warehouse, "transfers_monthly", ["month", "currency"], TRANSFER_COLUMNS
    )
    assert {currency for _, currency in expected} == {"usd"}  # settled and paid out in usd
    assert sum(row["total_gross"] for row in expected.values()) > 0
    assert actual == expected


def test_charges_monthly_equals_the_api(built_warehouse: Path, sandbox) -> None:
    expected = oracle_charges_monthly(client_for(sandbox))
    keys = ["month", "currency", "settlement_currency"]
    actual = mart_rows(built_warehouse, "charges_monthly", keys, CHARGE_COLUMNS)
    assert {currency for _, currency, _ in expected} >= {"usd", "eur", "gbp", "jpy"}
    assert {settled for _, _, settled in expected if settled} == {"usd"}
    assert sum(row["total_fee"] for row in expected.values()) > 0
    assert actual == expected
