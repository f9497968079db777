"""The report marts equal Stripe's reports computed straight from the API, cent for cent.

The oracle (`report_oracle`) reads the running sandbox with the official
`stripe` SDK only — every balance transaction, payouts and their `?payout=`
transactions, `/v1/balance` — and rebuilds, from a zero balance, Stripe's
Balance summary per currency for every UTC day, ISO week, month and quarter,
the payout reconciliation of each paid automatic payout, the monthly overview
and the itemized balance change from activity. Each is compared with the mart
the real main job built: exact integers, platform rows (`account_id` null).

Two accounts: `small` settles everything in usd (eur, gbp and jpy charges
are converted), `small_multicurrency` also keeps an eur balance of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import stripe
from report_oracle import (
    GRAINS,
    OVERVIEW_COLUMNS,
    PAYOUT_CATEGORIES,
    all_transactions,
    as_report_row,
    automatic_payout_items,
    balance_now,
    balance_summary,
    client_for,
    overview_month,
    utc_date,
)
from test_marts_currency_conversion import multicurrency  # noqa: F401 (a fixture)

from stripe_sandbox.starter import account_clock

pytestmark = pytest.mark.slow

SUMMARY_COLUMNS = [
    "period_end",
    "starting_balance",
    "activity_gross",
    "activity_fee",
    "activity_net",
    "activity_count",
    "total_payouts",
    "payout_count",
    "ending_balance",
    "balance_brought_forward",
    "is_latest_period",
]
SETTLED = {"small": {"usd"}, "small_multicurrency": {"usd", "eur"}}


@dataclass(frozen=True)
class Account:
    preset: str
    warehouse: Path
    client: stripe.StripeClient
    transactions: list
    now: int  # Stripe's "now": the sandbox clock the balance snapshot is taken at


@pytest.fixture(scope="module", params=["small", "small_multicurrency"])
def account(request) -> Account:
    if request.param == "small":
        warehouse = request.getfixturevalue("built_warehouse")
        server = request.getfixturevalue("sandbox")
    else:
        run, server = request.getfixturevalue("multicurrency")
        warehouse = run.warehouse
    client = client_for(server)
    return Account(
        request.param, warehouse, client, all_transactions(client),
        account_clock(server.account_path),
    )  # fmt: skip


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse)) as conn:
        return conn.execute(sql).fetchall()


def keyed(rows: list[tuple], n: int, columns: list[str]) -> dict[tuple, dict]:
    return {tuple(r[:n]): dict(zip(columns, r[n:], strict=True)) for r in rows}


def summary_rows(warehouse: Path) -> dict[tuple, dict]:
    sql = (
        f"select period_grain, period_start, currency, {', '.join(SUMMARY_COLUMNS)}"
        " from marts.balance_summary where account_id is null"
    )
    return keyed(query(warehouse, sql), 3, SUMMARY_COLUMNS)


def test_balance_summary_equals_the_api_for_every_period(account: Account) -> None:
    expected = balance_summary(account.transactions, account.now)
    assert {c for _, _, c in expected} == SETTLED[account.preset]
    assert any(row["total_payouts"] for row in expected.values())
    for row in expected.values():  # the oracle's own arithmetic
        assert row["ending_balance"] == (
            row["starting_balance"] + row["activity_net"] - row["total_payouts"]
        )
    actual = summary_rows(account.warehouse)
    assert set(actual) == set(expected)
    for key in sorted(expected):
        assert actual[key] == expected[key], key


def test_latest_ending_balance_is_the_api_balance(account: Account) -> None:
    expected = balance_now(account.client)
    assert set(+expected) == SETTLED[account.preset]
    oracle = balance_summary(account.transactions, account.now)
    for (grain, _, currency), row in oracle.items():
        if row["is_latest_period"]:
            assert row["ending_balance"] == expected[currency], (grain, currency)
    latest = query(
        account.warehouse,
        "select period_grain, currency, ending_balance, balance_brought_forward"
        " from marts.balance_summary where account_id is null and is_latest_period",
    )
    assert {(g, c) for g, c, _, _ in latest} == {(g, c) for g in GRAINS for c in expected}
    for grain, currency, ending, brought_forward in latest:
        assert (ending, brought_forward) == (expected[currency], 0), (grain, currency)
    snapshots = query(
        account.warehouse,
        "select currency, snapshot_balance, warehouse_balance, balance_brought_forward"
        " from marts.balance_snapshots where account_id is null and is_latest",
    )
    assert {c: (s, w, b) for c, s, w, b in snapshots} == {
        c: (amount, amount, 0) for c, amount in expected.items()
    }


def test_payout_reconciliation_itemizes_each_automatic_payout(account: Account) -> None:
    payouts = automatic_payout_items(account.client)
    assert payouts
    for payout_id, (amount, swept) in payouts.items():
        assert sum(swept.values()) == amount, payout_id
    rows = query(
        account.warehouse,
        "select automatic_payout_id, balance_transaction_id, net"
        " from marts.payout_reconciliation where account_id is null",
    )
    actual: dict[str, dict] = {}
    for payout_id, txn_id, net in rows:
        assert txn_id not in actual.setdefault(payout_id, {}), (payout_id, txn_id)
        actual[payout_id][txn_id] = net
    for payout_id, (_, swept) in payouts.items():
        assert actual.get(payout_id) == swept, payout_id


ACTIVITY_COLUMNS = [
    "created_utc",
    "available_on_utc",
    "currency",
    "gross",
    "fee",
    "net",
    "reporting_category",
    "exchange_rate",
]


def activity_rows(warehouse: Path) -> dict[str, dict]:
    sql = (
        "select balance_transaction_id, epoch(created_utc)::bigint,"
        " epoch(available_on_utc)::bigint, currency, gross, fee, net, reporting_category,"
        " exchange_rate from marts.balance_change_from_activity where account_id is null"
    )
    rows = query(warehouse, sql)
    assert len({r[0] for r in rows}) == len(rows), "one row per balance transaction"
    return {r[0]: dict(zip(ACTIVITY_COLUMNS, r[1:], strict=True)) for r in rows}


def test_balance_change_from_activity_holds_every_activity_transaction(account: Account):
    expected = {
        t.id: {c: as_report_row(t)[c] for c in ACTIVITY_COLUMNS}
        for t in account.transactions
        if t.reporting_category not in PAYOUT_CATEGORIES
    }
    assert any(row["exchange_rate"] for row in expected.values())  # converted charges
    actual = activity_rows(account.warehouse)
    for row in actual.values():
        if row["exchange_rate"] is not None:
            row["exchange_rate"] = float(row["exchange_rate"])
    assert set(actual) == set(expected)
    for txn_id in sorted(expected):
        assert actual[txn_id] == expected[txn_id], txn_id


def test_monthly_overview_equals_the_api_and_the_itemized_activity(account: Account):
    expected = overview_month([as_report_row(t) for t in account.transactions])
    assert any(row.get("gross_volume") for row in expected.values())
    itemized = query(
        account.warehouse,
        "select epoch(created_utc)::bigint, currency, gross, fee, net, reporting_category"
        " from marts.balance_change_from_activity where account_id is null",
    )
    columns = ["currency", "gross", "fee", "net", "reporting_category"]
    from_mart = overview_month(
        [{"created": utc_date(r[0])} | dict(zip(columns, r[1:], strict=True)) for r in itemized]
    )
    actual = keyed(
        query(
            account.warehouse,
            f"select period_start, currency, {', '.join(OVERVIEW_COLUMNS)}"
            " from marts.overview_metrics where account_id is null and period_grain = 'month'",
        ),
        2,
        OVERVIEW_COLUMNS,
    )
    for key in sorted(set(expected) | set(actual)):
        want = {c: expected.get(key, {}).get(c, 0) for c in OVERVIEW_COLUMNS}
        assert actual.get(key) == want, key
        mart_activity = {c: from_mart.get(key, {}).get(c, 0) for c in OVERVIEW_COLUMNS}
        payouts = {c: want[c] for c in ("payout_count", "total_payouts")}  # not activity
        assert mart_activity | payouts == want, key
