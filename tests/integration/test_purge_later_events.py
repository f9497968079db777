"""A purge stays in force for events that arrive after it.

On a private copy of the session's pipeline run: a customer is purged, then a
genuine event about them that no webhook delivered before (extraction listed
it) reaches the real receiver. It is taken in, judged genuine against Stripe's
copy (blanked the same way) and stays processed, and no event table holds the
customer's email.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import orjson
import pytest

from pipeline.cli.main_job import Target, process_events, run_resources
from pipeline.events.webhooks.running import ReceiverProcess
from pipeline.purge.apply import purge_customer
from stripe_sandbox.listing import AccountListing
from stripe_sandbox.webhooks import deliver

SECRET = "whsec_purge_later"


@pytest.fixture
def data_dir(pipeline_run, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(pipeline_run.data_dir, copy, ignore=shutil.ignore_patterns("dagster_home"))
    return copy


def customer_event_not_yet_delivered(account: Path, warehouse: Path) -> tuple[bytes, str, str]:
    """An event about a customer with an email that no webhook delivered in the run."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select event_id from events.event_deliveries").fetchall()
    delivered = {row[0] for row in rows}
    for body in AccountListing(account).events_oldest_first():
        event = orjson.loads(body)
        obj = event["data"]["object"]
        if event["id"] not in delivered and obj.get("object") == "customer" and obj.get("email"):
            return body, obj["id"], obj["email"]
    raise AssertionError("the small account has no undelivered customer event")


def test_an_event_after_the_purge_is_blanked_judged_genuine_and_processed(
    data_dir, sandbox, small_account
):
    warehouse = data_dir / "warehouse.duckdb"
    body, customer_id, email = customer_event_not_yet_delivered(small_account, warehouse)
    event_id = orjson.loads(body)["id"]
    purge_customer(data_dir, warehouse, customer_id, force=True)

    with ReceiverProcess(data_dir, secrets=(SECRET,)) as receiver:
        (sent,) = deliver([body], receiver.url, SECRET)
    assert sent.status is not None and sent.status < 300
    resources = run_resources(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)
    process_events(resources, dg.DagsterInstance.ephemeral())

    with duckdb.connect(str(warehouse), read_only=True) as con:
        status, received, refetched = con.execute(
            "select status, payload_received, payload_refetched from events.events where id = ?",
            [event_id],
        ).fetchone()
        verdicts = con.execute(
            "select verdict, payload from events.event_deliveries where event_id = ?", [event_id]
        ).fetchall()
        exceptions = con.execute(
            "select count(*) from events.event_processing_exceptions where event_id = ?",
            [event_id],
        ).fetchone()[0]
    assert status == "processed"
    assert [v for v, _ in verdicts] == ["genuine"]
    assert exceptions == 0
    for stored in (received, refetched, *(p for _, p in verdicts)):
        assert customer_id in stored and email not in stored
