"""Marts under settlement currency conversion: nothing summed across currencies.

The small account presents charges in usd, eur, gbp and jpy and settles in
usd: a non-usd charge's balance transaction is in usd with an
`exchange_rate` (amount in currency A × exchange_rate = amount in currency B,
in major units). `small_multicurrency` also settles eur as eur (its own eur
balance and payouts). Checked on the warehouse the real main job built,
against arithmetic done here and against the API (the oracle's totals).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from test_marts_oracle import (
    CHARGE_COLUMNS,
    TRANSFER_COLUMNS,
    client_for,
    mart_rows,
    oracle_charges_monthly,
    oracle_transfers_monthly,
)

from pipeline.catalog import ZERO_DECIMAL_CURRENCIES
from stripe_sandbox.generator import ensure_account
from stripe_sandbox.running import SandboxServer

pytestmark = pytest.mark.slow

PRESENTED = {"usd", "eur", "gbp", "jpy"}


def exponent(currency: str) -> int:
    return 0 if currency in ZERO_DECIMAL_CURRENCIES else 2


@pytest.fixture(scope="module")
def multicurrency(tmp_path_factory, main_job):
    account = ensure_account("small_multicurrency", data_dir=tmp_path_factory.mktemp("sandbox"))
    with SandboxServer(account) as server:
        yield main_job(server, account, tmp_path_factory.mktemp("data")), server


def settled_charges(warehouse: Path) -> list[tuple]:
    """Every charge with a balance transaction, joined to it in the warehouse."""
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(
            "select c.charge_id, c.amount_captured, c.currency, t.amount, t.currency,"
            " t.exchange_rate, c.settlement_amount, c.settlement_currency, c.exchange_rate"
            " from marts.charges as c join marts.balance_transactions as t"
            " on c.balance_transaction_id = t.balance_transaction_id"
        ).fetchall()


def currencies_of(warehouse: Path, sql: str) -> set:
    with duckdb.connect(str(warehouse)) as con:
        return {r[0] for r in con.execute(sql).fetchall()}


def assert_reconciles(charges: list[tuple], settles_as_is: set[str]) -> set[str]:
    """Each charge's settlement matches amount × exchange_rate within 1 minor unit;
    returns the currencies seen converted."""
    converted = set()
    for (
        charge_id,
        amount,
        currency,
        bt_amount,
        bt_currency,
        rate,
        s_amount,
        s_cur,
        s_rate,
    ) in charges:
        assert (s_amount, s_cur, s_rate) == (bt_amount, bt_currency, rate), charge_id
        if currency in settles_as_is:
            assert (bt_currency, bt_amount, rate) == (currency, amount, None), charge_id
            continue
        assert bt_currency == "usd" and rate is not None, charge_id
        expected = amount * rate * 10 ** (exponent(bt_currency) - exponent(currency))
        assert abs(bt_amount - expected) <= 1, (charge_id, amount, currency, bt_amount, rate)
        converted.add(currency)
    return converted


def test_every_foreign_charge_reconciles_through_its_usd_transaction(built_warehouse) -> None:
    converted = assert_reconciles(settled_charges(built_warehouse), {"usd"})
    assert converted == {"eur", "gbp", "jpy"}


def test_transfers_monthly_holds_usd_only(built_warehouse) -> None:
    sql = "select distinct currency from marts.transfers_monthly"
    assert currencies_of(built_warehouse, sql) == {"usd"}
    sql = "select distinct currency from marts.balance_transactions"
    assert currencies_of(built_warehouse, sql) == {"usd"}


def test_charges_monthly_holds_the_presentment_currencies_settled_in_usd(built_warehouse):
    sql = "select distinct currency from marts.charges_monthly"
    assert currencies_of(built_warehouse, sql) == PRESENTED
    sql = "select distinct settlement_currency from marts.charges_monthly"
    assert currencies_of(built_warehouse, sql) - {None} == {"usd"}


def test_multicurrency_settlement_keeps_eur_and_converts_the_rest(multicurrency) -> None:
    run, _ = multicurrency
    converted = assert_reconciles(settled_charges(run.warehouse), {"usd", "eur"})
    assert converted == {"gbp", "jpy"}
    sql = "select distinct currency from marts.transfers_monthly"
    assert currencies_of(run.warehouse, sql) == {"usd", "eur"}
    sql = "select distinct currency from marts.charges_monthly"
    assert currencies_of(run.warehouse, sql) == PRESENTED


def test_multicurrency_monthly_marts_equal_the_api(multicurrency) -> None:
    run, server = multicurrency
    client = client_for(server)
    keys = ["month", "currency", "settlement_currency"]
    charges = oracle_charges_monthly(client)
    assert {settled for _, _, settled in charges if settled} == {"usd", "eur"}
    assert mart_rows(run.warehouse, "charges_monthly", keys, CHARGE_COLUMNS) == charges
    transfers = oracle_transfers_monthly(client)
    assert {currency for _, currency in transfers} == {"usd", "eur"}
    actual = mart_rows(run.warehouse, "transfers_monthly", ["month", "currency"], TRANSFER_COLUMNS)
    assert actual == transfers
