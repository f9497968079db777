"""Staging accepts Stripe's example objects unchanged and the shapes of older API versions.

A raw layer is written by hand into a fresh DuckDB file (`obj` derived from
each payload, as a load does): one row per resource from Stripe's own example
objects (fixtures3.json, in tests/fixtures/stripe; API 2026-10-28.endive
shapes), a few objects in older versions' shapes (invoice
`subscription`/`charge`/`tax` at top level, subscription periods at top level,
cards under `source`, lines with `type` and `plan`), a deleted customer's stub
and an event snapshot newer than the list row. Then the real `dbt build` of
the staging layer runs on it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from stripe_reference import fixture_resources

from pipeline.catalog import BY_NAME, STRIPE_OBJECTS, raw_tables
from pipeline.raw.schema import create_table_sql
from pipeline.raw.typed import typed_expression

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
EXTRACTED = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)
RAW_TABLES = raw_tables()
OBJECT_TABLES = [t for t in RAW_TABLES if t in BY_NAME]  # a fixture each; the bridge is built

OLD_CHARGE = {
    "id": "ch_old",
    "object": "charge",
    "amount": 1320,
    "amount_captured": 1320,
    "amount_refunded": 0,
    "currency": "usd",
    "created": 1700000100,
    "captured": True,
    "paid": True,
    "invoice": "in_old",
    "source": {"object": "card", "brand": "Visa", "last4": "1881", "exp_month": 1,
               "exp_year": 2031, "fingerprint": "fpOld"},
}  # fmt: skip
OLD_INVOICE = {
    "id": "in_old",
    "object": "invoice",
    "created": 1700000000,
    "currency": "usd",
    "customer": "cus_old",
    "subscription": "sub_old",
    "charge": "ch_old",
    "paid": True,
    "subtotal": 1200,
    "tax": 120,
    "total": 1320,
    "lines": {"object": "list", "has_more": False, "data": [{
        "id": "sli_old", "object": "line_item", "type": "subscription", "proration": False,
        "amount": 1200, "currency": "usd", "quantity": 2, "subscription": "sub_old",
        "plan": {"id": "plan_gold", "product": "prod_gold"},
        "period": {"start": 1700000000, "end": 1702592000},
    }]},
}  # fmt: skip
OLD_SUBSCRIPTION = {
    "id": "sub_old",
    "object": "subscription",
    "created": 1700000000,
    "customer": "cus_old",
    "status": "active",
    "current_period_start": 1700000000,
    "current_period_end": 1702592000,
    "items": {"object": "list", "data": [{
        "id": "si_old", "quantity": 2,
        "plan": {"id": "plan_gold", "amount": 600, "currency": "usd", "interval": "month",
                 "interval_count": 1, "product": "prod_gold"},
    }]},
}  # fmt: skip


def raw_row(obj: dict, **overrides) -> dict:
    row = {
        "id": obj["id"],
        "created": obj.get("created", 1700000000),
        "month": "2023-11",
        "livemode": False,
        "account": None,
        "api_version": "2026-10-28.endive",
        "extracted_at": EXTRACTED,
        "source": "list",
        "is_deleted": False,
        "event_id": None,
        "event_created": None,
        "payload": json.dumps(obj),
    }
    return row | overrides


def raw_rows(fixtures: dict) -> dict[str, list[dict]]:
    rows = {table: [raw_row(fixtures[table])] for table in OBJECT_TABLES}
    charge = fixtures["charges"]
    refunded = copy.deepcopy(charge) | {"amount_refunded": 50}
    rows["charges"] += [
        raw_row(refunded, source="event", event_id="evt_newer", event_created=1900000000),
        raw_row(OLD_CHARGE, api_version="2019-12-03"),
    ]
    rows["invoices"].append(raw_row(OLD_INVOICE, api_version="2019-12-03"))
    rows["subscriptions"].append(raw_row(OLD_SUBSCRIPTION, api_version="2019-12-03"))
    rows["invoice_payments"][0]["payload"] = json.dumps(
        fixtures["invoice_payments"] | {"payment": {"type": "charge", "charge": "ch_paying"}}
    )
    stub = {"id": "cus_gone", "object": "customer", "deleted": True}
    rows["customers"].append(raw_row(stub, is_deleted=True))
    for child, parent, column in (
        ("checkout_session_line_items", "checkout_sessions", "checkout_session_id"),
        ("credit_note_line_items", "credit_notes", "credit_note_id"),
    ):  # a child row carries its parent's id, as the extractor's row builder writes it
        rows[child] = [raw_row(fixtures[child]) | {column: fixtures[parent]["id"]}]
    txn = fixtures["balance_transactions"]
    rows["payout_balance_transactions"] = [
        raw_row(txn) | {"payout_id": "po_1", "balance_transaction_id": txn["id"]}
    ]
    return rows


def write_raw(warehouse: Path, rows: dict[str, list[dict]]) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema raw_stripe")
        for table in RAW_TABLES:
            conn.execute(create_table_sql(table))
            for row in rows[table]:
                columns = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                conn.execute(f"insert into raw_stripe.{table} ({columns}) values ({marks})",
                             list(row.values()))  # fmt: skip
            conn.execute(f"update raw_stripe.{table} set obj = {typed_expression(table)}")


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    examples = fixture_resources()
    fixtures = {obj.name: copy.deepcopy(examples[obj.object]) for obj in STRIPE_OBJECTS}
    tmp = tmp_path_factory.mktemp("staging_shapes")
    warehouse = tmp / "warehouse.duckdb"
    write_raw(warehouse, raw_rows(fixtures))
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "build", "--select", "path:models/staging", "path:seeds",
               "--indirect-selection", "cautious",
               "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
               "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")]  # fmt: skip
    env = os.environ | {"WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]
    conn = duckdb.connect(str(warehouse), read_only=True)
    yield conn
    conn.close()


def one(conn: duckdb.DuckDBPyConnection, sql: str, *params) -> tuple:
    rows = conn.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_latest_row_per_id_wins(staged) -> None:
    count, ids = one(staged, "select count(*), count(distinct charge_id) from "
                             "staging.stg_stripe__charges")  # fmt: skip
    assert count == ids == 2
    (refunded,) = one(staged, "select amount_refunded from staging.stg_stripe__charges "
                              "where charge_id <> 'ch_old'")  # fmt: skip
    assert refunded == 50  # the event snapshot, newer than the list row


def test_charges_take_cards_from_today_and_older_shapes(staged) -> None:
    rows = dict(
        staged.execute(
            "select charge_id, [card_brand, card_last4, invoice_id] "
            "from staging.stg_stripe__charges"
        ).fetchall()
    )
    assert rows["ch_old"] == ["visa", "1881", "in_old"]
    assert rows["ch_1PgafuB7WZ01zgkWXYmPNZs8"] == ["visa", "4242", None]


def test_invoices_find_subscription_charge_and_tax_in_both_shapes(staged) -> None:
    sql = ("select subscription_id, legacy_charge_id, tax, total from staging.stg_stripe__invoices "
           "where invoice_id = ?")  # fmt: skip
    assert one(staged, sql, "in_old") == ("sub_old", "ch_old", 120, 1320)
    assert one(staged, sql, "in_1Pgc6tB7WZ01zgkWu9fdqL6I") == ("subscription", None, 0, 1000)


def test_subscriptions_find_periods_on_items_or_on_themselves(staged) -> None:
    sql = ("select epoch(current_period_start_at), amount, price_id "
           "from staging.stg_stripe__subscriptions where subscription_id = ?")  # fmt: skip
    assert one(staged, sql, "sub_old") == (1700000000, 1200, "plan_gold")
    assert one(staged, sql, "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw")[0] == 1896570518


def test_invoice_lines_come_from_invoices_and_from_listings(staged) -> None:
    rows = dict(
        staged.execute(
            "select invoice_line_item_id, [invoice_id, line_type, price_id] "
            "from staging.stg_stripe__invoice_line_items"
        ).fetchall()
    )
    assert rows["sli_old"] == ["in_old", "subscription", "plan_gold"]
    assert rows["il_1Pgc6sB7WZ01zgkWFnxLrLCq"][:2] == ["in_1Pgc6tB7WZ01zgkWu9fdqL6I", "invoiceitem"]
    assert "il_tmp_1Pgc6sB7WZ01zgkWrG16hkdl" in rows


def test_invoice_payment_of_type_charge_names_the_charge(staged) -> None:
    (charge_id,) = one(staged, "select charge_id from staging.stg_stripe__invoice_payments")
    assert charge_id == "ch_paying"


def test_deleted_customer_stub_is_kept_and_marked_purged(staged) -> None:
    sql = ("select is_deleted, is_purged, email from staging.stg_stripe__customers "
           "where customer_id = ?")  # fmt: skip
    assert one(staged, sql, "cus_gone") == (True, True, None)
    assert one(staged, sql, "cus_QXg1o8vcGmoR32") == (False, False, None)


def test_every_staging_view_reads_its_fixture(staged) -> None:
    for table in RAW_TABLES:
        (count,) = one(staged, f"select count(*) from staging.stg_stripe__{table}")
        assert count >= 1, table
