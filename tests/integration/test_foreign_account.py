"""The main job survives an account our generator never made (`tests/foreign_account.py`).

Served by the real sandbox server and run as `make run` runs it, from
`FOREIGN_START_MONTH`: the run completes, every mart is published, every raw
table holds what the account lists in those months, money is conserved to the
minor unit per currency, and what cannot be linked is counted, not fatal.
"""

from __future__ import annotations

import json
from collections import defaultdict

import dagster as dg
import duckdb
import pytest
from foreign_account import CLOCK, FOREIGN_START_MONTH, build_foreign_account

from pipeline.cli.main_job import (
    Target,
    build_and_publish,
    deliver_recent_events,
    extract_everything,
    process_events,
    run_resources,
)
from pipeline.cli.report import print_report
from pipeline.months import month_bounds, month_of, months_between
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader

pytestmark = pytest.mark.slow
START = month_bounds(FOREIGN_START_MONTH)[0]


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """(account file, data dir) after the main job ran on the foreign account."""
    account = build_foreign_account(tmp_path_factory.mktemp("foreign") / "foreign.sqlite")
    data_dir = tmp_path_factory.mktemp("foreign_data")
    with SandboxServer(account) as sandbox:
        target = Target(sandbox.api_key, sandbox.base_url, sandbox)
        resources = run_resources(target, data_dir)
        instance = dg.DagsterInstance.ephemeral()
        extract_everything(
            resources, instance, months_between(FOREIGN_START_MONTH, month_of(CLOCK))
        )
        deliver_recent_events(target, data_dir)
        process_events(resources, instance)
        build_and_publish(resources, instance)
        print_report(resources["warehouse"], sandbox)  # what `make run` prints last
    return account, data_dir


def listed(account, resource: str) -> list[dict]:
    """The account's listable objects of the extracted months (lines: of listed invoices)."""
    db = open_reader(account)
    rows = db.execute(
        "select o.body from objects o left join objects p on p.id = o.parent"
        " where o.resource = ? and not o.deleted and coalesce(p.created, o.created) >= ?",
        (resource, START),
    ).fetchall()
    return [json.loads(body) for (body,) in rows]


def swept_before_start(account) -> list[dict]:
    """Older transactions an extracted automatic payout swept (`?payout=` lists them)."""
    db = open_reader(account)
    rows = db.execute(
        "select distinct t.body from object_filters f join objects t on t.id = f.id"
        " join objects p on p.id = f.value and p.created >= ?"
        " where f.resource = 'balance_transactions' and f.name = 'payout' and t.created < ?",
        (START, START),
    ).fetchall()
    return [json.loads(body) for (body,) in rows]


@pytest.fixture(scope="module")
def warehouse(foreign):
    with duckdb.connect(str(foreign[1] / "warehouse.duckdb"), read_only=True) as con:
        yield con


def test_every_mart_is_published(foreign, warehouse) -> None:
    marts = {r[0] for r in warehouse.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'"
    ).fetchall()}  # fmt: skip
    with duckdb.connect(str(foreign[1] / "marts.duckdb"), read_only=True) as published:
        names = {r[0] for r in published.execute(
            "select table_name from information_schema.tables"
        ).fetchall()}  # fmt: skip
    assert marts and marts <= names


RESOURCES = ("customers", "products", "prices", "subscriptions", "invoices",
             "invoice_line_items", "invoice_payments", "charges", "refunds", "disputes", "payouts",
             "balance_transactions", "events")  # fmt: skip


@pytest.mark.parametrize("resource", RESOURCES)
def test_raw_holds_every_listed_object(foreign, warehouse, resource) -> None:
    expected = {o["id"] for o in listed(foreign[0], resource)}
    held = {r[0] for r in warehouse.execute(
        f"select distinct id from raw_stripe.{resource} where source = 'list'"
    ).fetchall()}  # fmt: skip
    assert held == expected


def per_currency(objects: list[dict], amount: str = "amount") -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for obj in objects:
        totals[obj["currency"]] += obj[amount]
    return dict(totals)


def test_charges_mart_conserves_every_currency(foreign, warehouse) -> None:
    rows = warehouse.execute(
        "select currency, sum(amount)::hugeint from marts.charges group by currency"
    ).fetchall()
    assert {c: int(s) for c, s in rows} == per_currency(listed(foreign[0], "charges"))


def test_balance_transactions_mart_conserves_net(foreign, warehouse) -> None:
    rows = warehouse.execute(
        "select currency, sum(net)::hugeint, sum(amount)::hugeint, count(*)"
        " from marts.balance_transactions group by currency"
    ).fetchall()
    account = listed(foreign[0], "balance_transactions") + swept_before_start(foreign[0])
    assert {c: int(n) for c, n, _, _ in rows} == per_currency(account, "net")
    assert {c: int(a) for c, _, a, _ in rows} == per_currency(account)
    assert sum(r[3] for r in rows) == len(account)


def test_charges_monthly_counts_only_captured_money_as_captured(foreign, warehouse) -> None:
    rows = warehouse.execute(
        "select currency, sum(total_amount_captured)::hugeint from marts.charges_monthly"
        " group by currency"
    ).fetchall()
    paid = [c for c in listed(foreign[0], "charges") if c["paid"]]
    assert {c: int(s) for c, s in rows} == per_currency(paid, "amount_captured")


def test_monthly_marts_never_mix_currencies(warehouse) -> None:
    assert warehouse.execute(
        "select count(*) from (select month, currency, settlement_currency"
        " from marts.charges_monthly group by all having count(*) > 1)"
    ).fetchone()[0] == 0  # fmt: skip


def test_an_event_brings_an_object_older_than_the_extracted_months(warehouse) -> None:
    rows = warehouse.execute(
        "select source, month from raw_stripe.customers where id = 'cus_ForeignZurich'"
    ).fetchall()
    # validation re-fetched it from Stripe: the retrieved copy is the latest snapshot
    assert rows == [("retrieve", "2026-07")]
    assert warehouse.execute(
        "select count(*) from marts.customers where customer_id = 'cus_ForeignZurich'"
    ).fetchone() == (1,)


def test_invoices_find_the_charge_of_their_payment_intent(warehouse) -> None:
    """An invoice payment of type payment_intent links the intent's succeeded charge."""
    invoices = dict(
        warehouse.execute("select invoice_id, charge_id from marts.invoices").fetchall()
    )
    assert invoices["in_ForeignOneOff"] == "ch_ForeignChf"  # payment.type = payment_intent
    assert invoices["in_ForeignSubscription"] == "ch_ForeignSubscription"  # payment.type = charge
    assert invoices["in_ForeignOldShape"] == "ch_ForeignDeletedCustomer"  # older `charge` field
    charges = dict(warehouse.execute("select charge_id, invoice_id from marts.charges").fetchall())
    assert charges["ch_ForeignChf"] == "in_ForeignOneOff"


def test_unknown_transaction_types_are_unclassified(warehouse) -> None:
    categories = dict(warehouse.execute(
        "select balance_transaction_id, fee_category from marts.balance_transactions"
    ).fetchall())  # fmt: skip
    unknown = warehouse.execute(
        "select balance_transaction_id from marts.balance_transactions"
        " where balance_transaction_type = 'some_future_type'"
    ).fetchall()
    assert unknown and all(categories[u] == "unclassified" for (u,) in unknown)


def test_dangling_references_are_counted(warehouse) -> None:
    dangling = dict(warehouse.execute(
        "select reference, dangling_row_count from marts.dangling_references"
    ).fetchall())  # fmt: skip
    assert dangling, "dangling_references is empty"
    # the July charge (before the extracted months): its refund's transaction and its
    # own, swept by an extracted payout
    assert dangling["balance_transactions.charge_id -> charges.charge_id"] == 2
    # the July customer is not listed, but a customer.updated event brought it
    assert dangling["charges.customer_id -> customers.customer_id"] == 0
    # a currency the seed does not know yet (zwg) warns, it never fails the build
    assert dangling["charges.currency -> currencies.code"] == 1


def test_no_exception_from_a_well_formed_object(foreign, warehouse) -> None:
    """Only the two forgeries `make run` sends itself are exceptions; every event is processed."""
    rows = warehouse.execute(
        "select stage, event_id, message from events.event_processing_exceptions"
    ).fetchall()
    genuine = {e["id"] for e in listed(foreign[0], "events")}
    assert [r for r in rows if r[1] in genuine] == []
    assert sorted(r[0] for r in rows) == ["receive", "validate"]
    statuses = dict(warehouse.execute("select id, status from events.events").fetchall())
    assert {i: statuses.get(i) for i in genuine} == dict.fromkeys(genuine, "processed")


def test_balance_reports_carry_the_history_before_the_extracted_months(foreign, warehouse):
    """Stripe's balance holds every transaction, the unextracted months' too: the
    snapshot anchors the balance summary, and what the warehouse lacks is brought
    forward (here nothing: the extracted payouts swept the older transactions)."""
    db = open_reader(foreign[0])
    (body,) = db.execute("select body from objects where resource = 'balance'").fetchone()
    stripe_balance = json.loads(body)
    expected: dict[str, int] = defaultdict(int)
    for funds in stripe_balance["available"] + stripe_balance["pending"]:
        expected[funds["currency"]] += funds["amount"]
    latest = dict(
        warehouse.execute(
            "select currency, ending_balance from marts.balance_summary"
            " where period_grain = 'month' and is_latest_period and account_id is null"
        ).fetchall()
    )
    assert latest == expected
    held = dict(
        warehouse.execute(
            "select currency, sum(net)::bigint from marts.balance_transactions group by currency"
        ).fetchall()
    )
    brought = dict(
        warehouse.execute(
            "select currency, balance_brought_forward from marts.balance_snapshots where is_latest"
        ).fetchall()
    )
    assert brought == {c: expected[c] - held.get(c, 0) for c in expected}
