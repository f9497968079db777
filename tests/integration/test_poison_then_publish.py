"""Poison and forgeries reach a warehouse a real run built, and the main job goes on.

On a private copy of the session's pipeline run, the real receiver gets, for
each of a few genuine events no webhook delivered yet: a signed forgery of
its id first (the amount raised by one), every poison variant, then the
genuine delivery. Events are validated and processed, dbt builds and the
marts are published again; every genuine event is processed and each bad
delivery is exactly one exception or forged row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import orjson
import pytest
from test_webhooks_poison import POISON, changed

from pipeline.cli.main_job import Target, build_and_publish, process_events, run_resources
from pipeline.events.webhooks.running import ReceiverProcess
from stripe_sandbox.listing import AccountListing
from stripe_sandbox.webhooks import deliver

SECRET = "whsec_poison_publish"
GENUINE = 3


@pytest.fixture
def data_dir(pipeline_run, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(pipeline_run.data_dir, copy, ignore=shutil.ignore_patterns("dagster_home"))
    return copy


def undelivered_charge_events(account: Path, warehouse: Path) -> list[bytes]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select distinct event_id from events.event_deliveries").fetchall()
    delivered = {row[0] for row in rows}
    events = AccountListing(account).events_oldest_first()
    found = [e for e in events if b'"charge.' in e and orjson.loads(e)["id"] not in delivered]
    assert len(found) >= GENUINE, "the small account has too few undelivered charge events"
    return found[:GENUINE]


def counts(warehouse: Path) -> tuple[int, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select count(*) filter (where stage = 'receive'),"
            " count(*) filter (where stage = 'validate' and source_key like 'delivery:%')"
            " from events.event_processing_exceptions"
        ).fetchone()


def raise_amount(event: dict) -> None:
    event["data"]["object"]["amount"] += 1


def test_poison_and_forged_ids_leave_genuine_events_processed_and_marts_published(
    data_dir, sandbox, small_account
):
    warehouse, marts = data_dir / "warehouse.duckdb", data_dir / "marts.duckdb"
    genuine = undelivered_charge_events(small_account, warehouse)
    receive_before, forged_before = counts(warehouse)
    published_before = marts.stat().st_mtime_ns
    poison, forgeries = [], []
    with ReceiverProcess(data_dir, secrets=(SECRET,)) as receiver:
        for payload in genuine:
            forgeries += deliver([changed(payload, raise_amount)], receiver.url, SECRET)
            for name in sorted(POISON):
                poison += deliver([changed(payload, POISON[name])], receiver.url, SECRET)
        answers = deliver(genuine, receiver.url, SECRET)
    assert [a.status for a in forgeries + answers] == [200] * (2 * GENUINE)
    assert {a.status for a in poison} == {400}

    resources = run_resources(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)
    instance = dg.DagsterInstance.ephemeral()
    process_events(resources, instance)
    build_and_publish(resources, instance)

    ids = [orjson.loads(e)["id"] for e in genuine]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = dict(con.execute(
            "select id, status from events.events where id in (select unnest(?))", [ids]
        ).fetchall())  # fmt: skip
        verdicts = con.execute(
            "select verdict, count(*) from events.event_deliveries"
            " where event_id in (select unnest(?)) group by 1 order by 1",
            [ids],
        ).fetchall()
    assert statuses == dict.fromkeys(ids, "processed")
    assert verdicts == [("forged", GENUINE), ("genuine", GENUINE)]
    assert counts(warehouse) == (receive_before + len(poison), forged_before + GENUINE)
    assert marts.stat().st_mtime_ns > published_before
    charge_ids = [orjson.loads(e)["data"]["object"]["id"] for e in genuine]
    with duckdb.connect(str(marts), read_only=True) as con:
        published = con.execute(
            "select charge_id, amount from charges where charge_id in (select unnest(?))",
            [charge_ids],
        ).fetchall()
    amounts = {orjson.loads(e)["data"]["object"]["id"]: orjson.loads(e)["data"]["object"]["amount"]
               for e in genuine}  # fmt: skip
    assert dict(published) == {c: a for c, a in amounts.items()}
