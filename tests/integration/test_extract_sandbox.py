"""The fast extractor against the real sandbox over HTTP, checked with the stripe SDK.

Every object of every month lands in the raw layer exactly once, as the SDK
lists it (through `extract_to_raw`, as runs extract); a second extraction gives
the same files but for the time stamped on them; a run with 500s, dropped
connections and 429s ends with the same raw data as a clean run.
"""

from __future__ import annotations

import asyncio
import operator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import stripe

from pipeline.catalog import STRIPE_OBJECTS, StripeObject
from pipeline.extract import ExtractStats, StripeHttp, find_first_month
from pipeline.extract.children import tables_for
from pipeline.months import month_of, months_between
from pipeline.raw.loader import extract_to_raw
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta

LISTED = [o for o in STRIPE_OBJECTS if o.parent is None]
SERVICES = {"invoiceitems": "invoice_items", "early_fraud_warnings": "radar.early_fraud_warnings",
            "checkout_sessions": "checkout.sessions"}  # fmt: skip


@pytest.fixture(scope="module")
def account(tmp_path_factory) -> Path:
    from stripe_sandbox.generator import ensure_account

    return ensure_account("small", data_dir=tmp_path_factory.mktemp("sandbox"))


@pytest.fixture(scope="module")
def sandbox(account):
    with SandboxServer(account) as server:
        yield server


@pytest.fixture(scope="module")
def months(sandbox, account) -> list[str]:
    clock = int(read_meta(open_reader(account))["clock"])
    config = StripeHttp(sandbox.api_key, api_base=sandbox.base_url)
    first = asyncio.run(find_first_month(config, latest_month=month_of(clock)))
    return months_between(first, month_of(clock))


def extract_all(
    config: StripeHttp, objects: list[StripeObject], months, raw: Path, wh: Path
) -> list[ExtractStats]:
    """Every month of `objects` into the raw layer; the listing stats of each object."""
    tables = [t for o in objects for t in tables_for(o)]
    results = asyncio.run(extract_to_raw(config, tables, months, raw, wh))
    return [results[o.name].stats for o in objects]


def partition_files(raw: Path) -> dict[Path, list[dict]]:
    """Every partition's rows, without `extracted_at` (each run stamps its own)."""
    return {
        p: pq.read_table(p).drop_columns(["extracted_at"]).to_pylist()
        for p in (raw / "stripe").glob("*/month=*/part-0.parquet")
    }


@pytest.fixture(scope="module")
def clean_run(sandbox, months, tmp_path_factory):
    root = tmp_path_factory.mktemp("clean")
    config = StripeHttp(sandbox.api_key, api_base=sandbox.base_url, requests_per_second=100,
                        endpoint_requests_per_second=100)  # fmt: skip
    extract_all(config, LISTED, months, root / "raw", root / "warehouse.duckdb")
    return root / "raw", root / "warehouse.duckdb"


def raw_rows(wh: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        sql = f"select id, month, created, payload from raw_stripe.{table} order by month, id"
        return con.execute(sql).fetchall()


def sdk_ids(sandbox) -> dict[str, list[str]]:
    """Every id per raw table as the stripe SDK lists it (auto-paging)."""
    client = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})
    ids: dict[str, list[str]] = {}
    for obj in LISTED:
        service = operator.attrgetter(SERVICES.get(obj.name, obj.name))(client.v1)
        listed = list(service.list({"limit": 100, **dict(obj.list_params)}).auto_paging_iter())
        ids[obj.name] = [o["id"] for o in listed]
        if obj.name == "invoices":
            ids["invoice_line_items"] = [
                line["id"]
                for inv in listed
                for line in client.v1.invoices.line_items.list(inv["id"]).auto_paging_iter()
            ]
        if obj.name == "subscriptions":  # billing: every subscription's items, canceled too
            ids["subscription_items"] = [
                i["id"]
                for sub in listed
                for i in client.v1.subscription_items.list(
                    {"subscription": sub["id"]}
                ).auto_paging_iter()
            ]
        if obj.name == "payouts":
            ids["payout_balance_transactions"] = [
                txn["id"]
                for po in listed
                if po["automatic"]
                for txn in client.v1.balance_transactions.list(
                    {"payout": po["id"]}
                ).auto_paging_iter()
            ]
        credits = {"credit_notes": ("credit_note_line_items", client.v1.credit_notes.line_items),
                   "customers": ("customer_balance_transactions",
                                 client.v1.customers.balance_transactions)}  # fmt: skip
        if obj.name in credits:  # credits: a note's lines, a customer's balance transactions
            child, items = credits[obj.name]
            ids[child] = [i["id"] for p in listed for i in items.list(p["id"]).auto_paging_iter()]
        nested = {"transfers": ("transfer_reversals", client.v1.transfers.reversals),
                  "application_fees": ("application_fee_refunds",
                                       client.v1.application_fees.refunds)}  # fmt: skip
        if obj.name in nested:  # connect: embedded in the parent, paged from its list
            child, items = nested[obj.name]
            ids[child] = [i["id"] for p in listed for i in items.list(p["id"]).auto_paging_iter()]
        if obj.name == "checkout_sessions":  # payments: each session's line items
            items = client.v1.checkout.sessions.line_items
            ids["checkout_session_line_items"] = [
                i["id"] for s in listed for i in items.list(s["id"]).auto_paging_iter()
            ]
        if obj.name == "customers":  # payments: each customer's saved payment methods
            methods = client.v1.customers.payment_methods
            ids["payment_methods"] = [
                m["id"] for c in listed for m in methods.list(c["id"]).auto_paging_iter()
            ]
    return ids


def test_first_month_is_the_oldest_listed_object(months, account):
    db = open_reader(account)
    oldest = db.execute(
        "select min(created) from objects where account = '' and deleted = 0"
        " and resource not in ('events', 'invoice_line_items')"
    ).fetchone()[0]
    assert months[0] == month_of(oldest)


def test_every_object_of_every_month_lands_exactly_once(clean_run, sandbox):
    _, wh = clean_run
    expected = sdk_ids(sandbox)
    assert set(expected) == {t for o in LISTED for t in tables_for(o)}
    for table, ids in expected.items():
        rows = raw_rows(wh, table)
        landed = [r[0] for r in rows]
        assert sorted(landed) == sorted(ids), table
        assert len(landed) == len(set(landed)), table
        if table not in ("payout_balance_transactions",):
            assert all(month_of(created) == month for _, month, created, _ in rows), table
    assert len(expected["charges"]) > 100 and expected["invoice_line_items"]


def test_extracting_twice_gives_the_same_files(clean_run, sandbox, months):
    raw, wh = clean_run
    busiest = max(months, key=lambda m: sum(1 for r in raw_rows(wh, "charges") if r[1] == m))
    before = raw_rows(wh, "charges")
    config = StripeHttp(sandbox.api_key, api_base=sandbox.base_url)
    for _ in range(2):
        files = partition_files(raw)
        extract_all(config, [o for o in LISTED if o.name in ("charges", "payouts")],
                    [busiest], raw, wh)  # fmt: skip
        assert partition_files(raw) == files
    assert raw_rows(wh, "charges") == before


def test_faults_and_rate_limits_end_with_the_same_raw_data(
    sandbox, account, months, clean_run, tmp_path
):
    _, clean_wh = clean_run
    objects = [o for o in LISTED if o.name in ("charges", "payouts", "invoices", "customers")]
    faults = {"fault_rate": 0.05, "drop_rate": 0.03, "rate_limit": 30.0,
              "endpoint_rate_limit": 20.0, "realism_seed": 7}  # fmt: skip
    with SandboxServer(account, **faults) as faulty:
        config = StripeHttp(faulty.api_key, api_base=faulty.base_url, requests_per_second=200,
                            endpoint_requests_per_second=100, max_retries=20)  # fmt: skip
        stats = extract_all(config, objects, months, tmp_path / "raw", tmp_path / "wh.duckdb")
    assert sum(s.rate_limited for s in stats) > 0
    assert sum(s.retries for s in stats) > sum(s.rate_limited for s in stats)  # 500s and drops too
    for table in {t for o in objects for t in tables_for(o)}:
        assert raw_rows(tmp_path / "wh.duckdb", table) == raw_rows(clean_wh, table), table
