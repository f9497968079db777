"""Events keep old objects current; a cursor past the events API's reach re-lists.

Real Dagster materializations of the event assets against the sandbox, on a
warehouse prepared to look like one extracted months ago.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pytest
import stripe

from pipeline.catalog import API_VERSION
from pipeline.cli.main_job import Target, run_resources
from pipeline.defs.assets.events import event_sync, processed_events, validated_events
from pipeline.events.schema import ensure_schema
from pipeline.events.table import record_listed_events
from pipeline.extract.rows import RowContext, raw_row
from pipeline.extract.schema import raw_schema
from pipeline.months import month_of
from pipeline.raw import write_partition
from stripe_sandbox.starter import account_clock

EVENT_ASSETS = [event_sync, validated_events, processed_events]


@pytest.fixture
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


def _resources(sandbox, data_dir: Path) -> dict:
    return run_resources(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)


def _seed_cursor(warehouse: Path, event: dict) -> None:
    with duckdb.connect(str(warehouse)) as con:
        ensure_schema(con)
        record_listed_events(con, [json.dumps(event, default=str)])


def _old_refund_event(client: stripe.StripeClient, clock: int) -> dict:
    page = client.raw_request("get", "/v1/events", type="charge.refunded", limit=100)
    for event in json.loads(page.body)["data"]:  # the JSON as Stripe sent it
        if event["data"]["object"]["created"] < clock - 60 * 86400:
            return event
    raise AssertionError("the sandbox has no refund of a months-old charge")


def test_refund_of_a_months_old_charge_reaches_its_raw_row(sandbox, client, tmp_path):
    clock = account_clock(sandbox.account_path)
    refund = _old_refund_event(client, clock)
    after = refund["data"]["object"]
    before = {**after, **refund["data"]["previous_attributes"]}
    assert before["amount_refunded"] != after["amount_refunded"]

    resources = _resources(sandbox, tmp_path)
    warehouse, month = tmp_path / "warehouse.duckdb", month_of(after["created"])
    months_ago = datetime.fromtimestamp(after["created"], UTC) + timedelta(days=1)
    row = raw_row(before, RowContext(None, API_VERSION, months_ago))
    write_partition(tmp_path / "raw", warehouse, "charges", month,
                    pa.Table.from_pylist([row], schema=raw_schema("charges")))  # fmt: skip
    oldest = min(client.v1.events.list({"limit": 100}).auto_paging_iter(), key=lambda e: e.created)
    _seed_cursor(warehouse, oldest.to_dict(recursive=True))

    assert dg.materialize(EVENT_ASSETS, resources=resources).success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        source, payload = con.execute(
            "select source, payload from raw_stripe.charges where id = ? order by "
            "coalesce(event_created, epoch(extracted_at)) desc limit 1",
            [after["id"]],
        ).fetchone()
    assert source == "event"
    assert json.loads(payload)["amount_refunded"] == after["amount_refunded"]


def test_a_cursor_older_than_thirty_days_relists_every_month(sandbox, client, tmp_path):
    clock = account_clock(sandbox.account_path)
    resources = _resources(sandbox, tmp_path)
    warehouse = tmp_path / "warehouse.duckdb"
    charge = {"id": "ch_stale", "object": "charge"}
    stale = {"id": "evt_stale", "object": "event", "type": "charge.succeeded",
             "created": clock - 45 * 86400, "data": {"object": charge}}  # fmt: skip
    _seed_cursor(warehouse, stale)

    result = dg.materialize([event_sync], resources=resources)
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["relisted_months"].value >= 5
    charges = {c.id for c in client.v1.charges.list({"limit": 100}).auto_paging_iter()}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        landed = {r[0] for r in con.execute("select id from raw_stripe.charges").fetchall()}
    assert landed == charges


def test_a_recent_cursor_lists_only_recent_events(sandbox, client, tmp_path):
    clock = account_clock(sandbox.account_path)
    resources = _resources(sandbox, tmp_path)
    recent = max(client.v1.events.list({"limit": 100}).auto_paging_iter(), key=lambda e: e.created)
    assert recent.created > clock - 30 * 86400
    _seed_cursor(tmp_path / "warehouse.duckdb", recent.to_dict(recursive=True))

    result = dg.materialize([event_sync], resources=resources)
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["relisted_months"].value == 0
    assert metadata["event_months"].value == month_of(recent.created - 5)
    assert not (tmp_path / "raw" / "stripe" / "charges").exists()


def test_a_new_warehouse_takes_its_cursor_from_the_events_it_listed(sandbox, client, tmp_path):
    """Before any event is taken in, the newest event the raw extraction listed is the
    cursor: the first run after an extraction does not list every month again."""
    recent = max(client.v1.events.list({"limit": 100}).auto_paging_iter(), key=lambda e: e.created)
    row = raw_row(recent.to_dict(recursive=True), RowContext(None, API_VERSION, datetime.now(UTC)))
    rows = pa.Table.from_pylist([row], schema=raw_schema("events"))
    write_partition(tmp_path / "raw", tmp_path / "warehouse.duckdb", "events",
                    month_of(recent.created), rows)  # fmt: skip

    result = dg.materialize([event_sync], resources=_resources(sandbox, tmp_path))
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["relisted_months"].value == 0
    assert not (tmp_path / "raw" / "stripe" / "charges").exists()


def test_a_warehouse_without_listed_events_relists_every_month(sandbox, tmp_path):
    result = dg.materialize([event_sync], resources=_resources(sandbox, tmp_path))
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["relisted_months"].value >= 5
