"""Incremental marts equal a full build after a sequence of daily refreshes.

A real sandbox account is extracted into raw (`extract_to_raw`) and built by
`dbt build`. Then each "day" changes the raw layer through the pipeline's own
writers and runs an incremental `dbt build`:

1. updates: event snapshots (`apply_events`) of a refunded charge, a
   customer's new email, a canceled subscription, a renamed product and price,
   a reversed connect transfer; later list rows (`write_partition`, upsert) of
   a balance transaction's fee (a charge changes through its transaction),
   an invoice payment now paid by another charge (an invoice and both charges
   change through it) and a refund moved to another charge.
2. deletes and a re-list: a `customer.deleted` event, a customer gone from
   its re-listed partition (list mode), an invoice item deleted and its line
   gone from its invoice, then the last two months listed again.
3. a late event (its `created` older than the watermark, arriving now) and a
   purge (`purge_customer`).

After each day a copy of the warehouse is rebuilt with
`dbt build --full-refresh`, and every table of `staging`, `intermediate` and
`marts` (all incremental) must hold the same rows, compared as multisets both ways.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa
import pytest

from pipeline.catalog import raw_tables
from pipeline.extract import StripeHttp
from pipeline.extract.schema import raw_schema
from pipeline.months import month_of, months_between
from pipeline.purge.apply import purge_customer
from pipeline.raw import apply_events, write_partition
from pipeline.raw.loader import extract_to_raw
from pipeline.raw.purge_register import PurgeRegister, sync_to_warehouse
from stripe_sandbox.starter import preset_first_month
from stripe_sandbox.store import open_reader, read_meta

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
COMPARED_SCHEMAS = ("staging", "intermediate", "marts")
BASE_COLUMNS = ("id", "created", "month", "livemode", "account", "api_version", "extracted_at",
                "source", "is_deleted", "event_id", "event_created", "payload")  # fmt: skip


def dbt_build(warehouse: Path, scratch: Path, *args: str) -> float:
    """A real `dbt build` of the whole project on `warehouse`; its wall seconds."""
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "build", *args, "--project-dir", str(PROJECT),
               "--profiles-dir", str(PROJECT), "--target-path", str(scratch / "target"),
               "--log-path", str(scratch / "logs")]  # fmt: skip
    env = os.environ | {"WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-6000:]
    return time.perf_counter() - started


def compared_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
        " where table_type = 'BASE TABLE' and table_schema in (?, ?, ?) order by 1",
        list(COMPARED_SCHEMAS),
    ).fetchall()
    return [r[0] for r in rows]


def differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Per table whose rows differ: (rows only in the incremental, rows only in the full)."""
    with duckdb.connect(str(incremental), read_only=True) as con:
        tables = compared_tables(con)
    with duckdb.connect(str(full), read_only=True) as con:
        assert compared_tables(con) == tables
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental}' as inc (read_only)")
        con.execute(f"attach '{full}' as ful (read_only)")
        for table in tables:
            only_inc, only_full = (
                con.execute(
                    f"select count(*) from (select * from {a}.{table}"
                    f" except all select * from {b}.{table})"
                ).fetchone()[0]
                for a, b in (("inc", "ful"), ("ful", "inc"))
            )
            if only_inc or only_full:
                found[table] = (only_inc, only_full)
    return found


class Warehouse:
    """The test's data directory: raw layer, warehouse, and its daily changes."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.raw_dir = data_dir / "raw"
        self.path = data_dir / "warehouse.duckdb"
        self.events = 0

    def query(self, sql: str, *params) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def row(self, table: str, object_id: str) -> dict:
        """The newest raw row of an object, its base columns."""
        with duckdb.connect(str(self.path), read_only=True) as con:
            cursor = con.execute(
                f"select {', '.join(BASE_COLUMNS)} from raw_stripe.{table} where id = ?"
                " order by coalesce(event_created, epoch(extracted_at)) desc limit 1",
                [object_id],
            )
            values = cursor.fetchone()
        assert values is not None, (table, object_id)
        return dict(zip(BASE_COLUMNS, values, strict=True))

    def payload(self, table: str, object_id: str) -> dict:
        return orjson.loads(self.row(table, object_id)["payload"])

    def event(self, obj: dict, kind: str = "updated", created: int | None = None) -> None:
        """An event snapshot of `obj`, applied as event processing does (arrives now)."""
        self.events += 1
        table = self.table_of(obj)
        row = self.row(table, obj["id"])
        event = {
            "id": f"evt_incremental{self.events:04d}",
            "object": "event",
            "type": f"{obj['object']}.{kind}",
            "created": created or int(time.time()),
            "account": row["account"],
            "livemode": False,
            "api_version": row["api_version"],
            "data": {"object": obj},
        }
        with duckdb.connect(str(self.path)) as con:
            apply_events(self.raw_dir, con, [event])

    @staticmethod
    def table_of(obj: dict) -> str:
        return obj["object"] + "s"  # charge, customer, invoice, invoiceitem, price, …

    def relist(self, table: str, obj: dict) -> None:
        """A later list row of one object (upsert), as a re-listing would write it."""
        row = self.row(table, obj["id"]) | {
            "extracted_at": dt.datetime.now(dt.UTC), "source": "list", "event_id": None,
            "event_created": None, "payload": orjson.dumps(obj).decode(),
        }  # fmt: skip
        arrow = pa.Table.from_pylist([row], schema=raw_schema(table))
        with duckdb.connect(str(self.path)) as con:
            write_partition(self.raw_dir, con, table, row["month"], arrow, mode="upsert")

    def drop_from_listing(self, table: str, object_id: str) -> None:
        """Its partition listed again without it (deleted in Stripe, no event seen)."""
        month = self.row(table, object_id)["month"]
        with duckdb.connect(str(self.path)) as con:
            columns = ", ".join(BASE_COLUMNS)
            listed = con.execute(
                f"select {columns} from raw_stripe.{table} where month = ? and id != ?",
                [month, object_id],
            ).to_arrow_table()
            now = pa.array([dt.datetime.now(dt.UTC)] * listed.num_rows, pa.timestamp("us", "UTC"))
            listed = listed.set_column(listed.schema.get_field_index("extracted_at"),
                                       "extracted_at", now)  # fmt: skip
            rows = listed.to_pylist()
            arrow = pa.Table.from_pylist(rows, schema=raw_schema(table))
            write_partition(self.raw_dir, con, table, month, arrow, mode="list")


def some(warehouse: Warehouse, sql: str, *params) -> tuple:
    rows = warehouse.query(sql, *params)
    assert rows, sql
    return rows[0]


@pytest.fixture(scope="module")
def daily(sandbox, small_account, tmp_path_factory):
    """Day 0: the whole account extracted and built; yields the helpers."""
    data_dir = tmp_path_factory.mktemp("incremental") / "data"
    data_dir.mkdir()
    warehouse = Warehouse(data_dir)
    clock = int(read_meta(open_reader(small_account))["clock"])
    months = months_between(preset_first_month("small"), month_of(clock))
    config = StripeHttp(sandbox.api_key, api_base=sandbox.base_url, requests_per_second=100,
                        endpoint_requests_per_second=100)  # fmt: skip

    def extract(extract_months: list[str]) -> None:
        asyncio.run(extract_to_raw(config, raw_tables(), extract_months, warehouse.raw_dir,
                                   warehouse.path))  # fmt: skip

    extract(months)
    with duckdb.connect(str(warehouse.path)) as con:  # as the dbt asset does before a build
        sync_to_warehouse(PurgeRegister(data_dir), con)
    scratch = tmp_path_factory.mktemp("dbt")
    dbt_build(warehouse.path, scratch)
    return warehouse, extract, months, scratch


def build_and_compare(warehouse: Warehouse, scratch: Path, day: str) -> None:
    with duckdb.connect(str(warehouse.path)) as con:  # as the dbt asset does before a build
        sync_to_warehouse(PurgeRegister(warehouse.data_dir), con)
    incremental = dbt_build(warehouse.path, scratch)
    full_copy = scratch / f"full-{day}.duckdb"
    shutil.copyfile(warehouse.path, full_copy)
    full = dbt_build(full_copy, scratch, "--full-refresh")
    print(f"{day}: incremental dbt build {incremental:.1f} s, full refresh {full:.1f} s")
    assert differences(warehouse.path, full_copy) == {}, day
    full_copy.unlink()


def test_incremental_builds_equal_full_builds_day_after_day(daily):
    warehouse, extract, months, scratch = daily

    # day 1: updates, through events and through joined rows
    charge_id, bt_id = some(
        warehouse,
        "select charges.charge_id, charges.balance_transaction_id from marts.charges"
        " join marts.balance_transactions using (balance_transaction_id)"
        " where balance_transactions.payout_id is null and fee_line_count > 0"
        " and charges.is_paid and charges.customer_id is not null and not charges.is_refunded"
        " order by 1 limit 1",
    )  # not swept by a payout yet: its fee may still change the payouts' sums
    (refunded_id,) = some(
        warehouse,
        "select charge_id from marts.charges as charges where is_paid and not is_refunded"
        " and card_last4 is not null and charge_id != ? and created_at = (select max(created_at)"
        " from marts.charges as others where others.customer_id = charges.customer_id"
        " and others.is_paid and others.card_last4 is not null) order by 1 limit 1",
        charge_id,
    )  # its customer's last card charge: the customer's card changes through it
    charge = warehouse.payload("charges", refunded_id)
    charge |= {"refunded": True, "amount_refunded": charge["amount_captured"]}
    if (charge.get("payment_method_details") or {}).get("card"):
        charge["payment_method_details"]["card"]["last4"] = "0000"
    warehouse.event(charge, "refunded")

    transaction = warehouse.payload("balance_transactions", bt_id)
    transaction |= {"fee": transaction["fee"] + 1, "net": transaction["net"] - 1}
    transaction["fee_details"][0]["amount"] += 1
    warehouse.relist("balance_transactions", transaction)

    (customer_id,) = some(
        warehouse, "select customer_id from marts.customers where email is not null"
        " and not is_deleted order by customer_id limit 1 offset 3",
    )  # fmt: skip
    customer = warehouse.payload("customers", customer_id)
    warehouse.event(customer | {"email": "changed@example.com"})

    subscription_id, price_id, product_id = some(
        warehouse,
        "select subscription_id, price_id, product_id from marts.subscriptions"
        " where is_current and status = 'active' order by subscription_id limit 1",
    )
    subscription = warehouse.payload("subscriptions", subscription_id)
    warehouse.event(subscription | {"status": "canceled", "canceled_at": int(time.time())})
    warehouse.event(warehouse.payload("prices", price_id) | {"nickname": "renamed"})
    warehouse.event(warehouse.payload("products", product_id) | {"name": "Renamed"})

    payment_id, other_charge = some(
        warehouse,
        "select payments.invoice_payment_id, charges.charge_id"
        " from staging.stg_stripe__invoice_payments as payments"
        " join marts.charges as charges on charges.charge_id not in"
        " (select charge_id from marts.invoices where charge_id is not null)"
        " and charges.is_paid"
        " where payments.status = 'paid' order by 1, 2 limit 1",
    )
    payment = warehouse.payload("invoice_payments", payment_id)
    payment["payment"] = {"type": "charge", "charge": other_charge}
    warehouse.relist("invoice_payments", payment)

    refund_rows = warehouse.query(
        "select refund_id from staging.stg_stripe__refunds order by 1 limit 1"
    )
    if refund_rows:
        refund = warehouse.payload("refunds", refund_rows[0][0])
        warehouse.relist("refunds", refund | {"charge": other_charge})

    transfers = warehouse.query(
        "select transfer_id from marts.connect_transfers order by 1 limit 1"
    )
    if transfers:
        transfer = warehouse.payload("transfers", transfers[0][0])
        warehouse.event(transfer | {"amount_reversed": transfer["amount"], "reversed": True})
    build_and_compare(warehouse, scratch, "day 1")

    # day 2: the last two months listed again; deletes, a customer gone from its
    # listing, an invoice item deleted
    extract(months[-2:])
    deleted_id, gone_id = (
        r[0]
        for r in warehouse.query(
            "select customer_id from marts.customers where not is_deleted"
            " order by customer_id limit 2 offset 5"
        )
    )
    warehouse.event(warehouse.payload("customers", deleted_id), "deleted")
    warehouse.drop_from_listing("customers", gone_id)
    items = warehouse.query(
        "select line_items.invoiceitem_id, line_items.invoice_id"
        " from marts.invoice_line_items as line_items"
        " where line_items.invoiceitem_id is not null order by 1 limit 1"
    )
    if items:
        item_id, invoice_id = items[0]
        warehouse.event(warehouse.payload("invoiceitems", item_id), "deleted")
        invoice = warehouse.payload("invoices", invoice_id)
        invoice = copy.deepcopy(invoice)
        lines = invoice["lines"]["data"]
        invoice["lines"]["data"] = [line for line in lines if item_id not in orjson.dumps(line)
                                    .decode()]  # fmt: skip
        warehouse.event(invoice)
    build_and_compare(warehouse, scratch, "day 2")

    # day 3: a late event, then a purge
    (late_id,) = some(
        warehouse,
        "select id from raw_stripe.charges where month < ? and event_id is null and id != ?"
        " order by id limit 1",
        months[-2],
        charge_id,
    )
    late = warehouse.row("charges", late_id)
    (watermark,) = some(warehouse, "select epoch(extracted_at) from incremental.watermark_charges")
    created = int(late["extracted_at"].timestamp()) + 1
    assert created < watermark, "the late event is older than the watermark"
    warehouse.event(orjson.loads(late["payload"]) | {"description": "late"}, created=created)

    (purged_id,) = some(
        warehouse,
        "select customer_id from marts.charges where card_last4 is not null and is_paid"
        " and customer_id in (select customer_id from marts.customers where not is_deleted)"
        " order by customer_id desc limit 1",
    )
    purge_customer(warehouse.data_dir, warehouse.path, purged_id)
    build_and_compare(warehouse, scratch, "day 3")

    # the changes reached the marts
    assert some(warehouse, "select description from marts.charges where charge_id = ?",
                late_id) == ("late",)  # fmt: skip
    assert some(warehouse, "select is_purged from marts.customers where customer_id = ?",
                purged_id) == (True,)  # fmt: skip
    assert some(warehouse, "select is_deleted from marts.customers where customer_id = ?",
                deleted_id) == (True,)  # fmt: skip
    assert not warehouse.query("select 1 from marts.customers where customer_id = ?", gone_id)
