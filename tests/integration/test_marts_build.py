"""Marts the real pipeline built from the sandbox: present, one row per key, money per currency."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

MARTS = [
    "customers",
    "customer_currency_totals",
    "subscriptions",
    "invoices",
    "invoice_line_items",
    "charges",
    "charges_monthly",
    "balance_transactions",
    "transfers",
    "transfer_charge_fees",
    "connect_transfers",
    "connected_accounts",
    "connected_account_currency_totals",
    "application_fees_monthly",
    "transfer_reversals",
    "topups",
    "transfers_monthly",
    "subscription_mrr_monthly",
    "dangling_references",
    "balance_summary",
    "balance_summary_activity",
    "balance_snapshots",
    "ending_balance_reconciliation",
    "balance_change_from_activity",
    "payout_reconciliation",
    "payouts_itemized",
    "overview_metrics",
    "volume_by_presentment_currency",
]
# mart → its grain and how many currencies it holds at least (the small account
# presents charges in usd/eur/gbp/jpy and settles and pays out in usd)
MONTHLY = {
    "transfers_monthly": (["month", "currency", "account_id"], 1),
    "charges_monthly": (["month", "currency", "settlement_currency", "account_id"], 4),
    "subscription_mrr_monthly": (["month", "currency", "account_id"], 2),
    "application_fees_monthly": (["month", "currency", "settlement_currency"], 2),
}


@pytest.fixture(scope="module")
def warehouse(built_warehouse: Path):
    # Default configuration: the pipeline run of this process may still hold the file open.
    with duckdb.connect(str(built_warehouse)) as conn:
        yield conn


def scalar(conn: duckdb.DuckDBPyConnection, sql: str):
    return conn.execute(sql).fetchone()[0]


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_is_built_and_holds_rows(warehouse, mart: str) -> None:
    assert scalar(warehouse, f"select count(*) from marts.{mart}") > 0


@pytest.mark.parametrize(
    ("raw_table", "staged", "key"),
    [
        ("charges", "charges", "charge_id"),
        ("invoices", "invoices", "invoice_id"),
        ("payouts", "transfers", "payout_id"),
        ("balance_transactions", "balance_transactions", "balance_transaction_id"),
    ],
)
def test_marts_keep_one_row_per_stripe_id(warehouse, raw_table: str, staged: str, key: str):
    raw_ids = scalar(warehouse, f"select count(distinct id) from raw_stripe.{raw_table}")
    rows, keys = warehouse.execute(
        f"select count(*), count(distinct {key}) from marts.{staged}"
    ).fetchone()
    assert rows == keys == raw_ids


@pytest.mark.parametrize("mart", MONTHLY)
def test_monthly_marts_never_add_currencies(warehouse, mart: str) -> None:
    grain, least_currencies = MONTHLY[mart]
    rows, groups, currencies = warehouse.execute(
        f"select count(*), count(distinct ({', '.join(grain)})), "
        f"count(distinct currency) filter (where currency is not null) from marts.{mart}"
    ).fetchone()
    assert rows == groups and currencies >= least_currencies


def test_major_units_follow_each_currency_exponent(warehouse) -> None:
    rows = warehouse.execute(
        "select currency, total_amount, total_amount_major from marts.charges_monthly"
    ).fetchall()
    divisors = {"jpy": 1, "usd": 100, "eur": 100, "gbp": 100}
    assert {currency for currency, _, _ in rows} >= {"jpy", "usd", "gbp"}
    for currency, minor, major in rows:
        assert major * divisors[currency] == minor, (currency, minor, major)


def test_every_paid_itemized_payout_nets_to_its_amount(warehouse) -> None:
    paid, reconciled = warehouse.execute(
        "select count(*), count(*) filter (where net = amount) from marts.transfers "
        "where is_paid and is_itemized"
    ).fetchone()
    assert paid > 0 and reconciled == paid


def test_each_subscriber_has_exactly_one_current_subscription(warehouse) -> None:
    assert (
        scalar(
            warehouse,
            "select count(*) from (select customer_id from marts.subscriptions "
            "group by customer_id having count(*) filter (where is_current) <> 1)",
        )
        == 0
    )
