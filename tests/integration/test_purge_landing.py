"""A purge reaches the landing files (the receiver's journal), and ingestion goes on after it.

Works on a private copy of the session's pipeline run, whose receiver landed the
sandbox's recent events: the purge blanks the customer's deliveries there, a new
receiver starts on the blanked files, and a later delivery is ingested by the
real event assets from the offsets saved before the purge.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import orjson
import pytest

from pipeline.cli.main_job import Target, process_events, run_resources
from pipeline.events.webhooks.running import ReceiverProcess
from pipeline.purge.apply import purge_customer
from pipeline.raw.blanking import PERSONAL_FIELDS
from pipeline.raw.journal import journal_files, read_journal
from stripe_sandbox.webhooks import deliver

SECRET = "whsec_purge_landing"


@pytest.fixture
def data_dir(pipeline_run, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(pipeline_run.data_dir, copy, ignore=shutil.ignore_patterns("dagster_home"))
    return copy


def owned_objects(value, found: list[dict]) -> list[dict]:
    """Every object in `value` that is or names a customer (depth first)."""
    if isinstance(value, dict):
        if _owner(value):
            found.append(value)
        for item in value.values():
            owned_objects(item, found)
    elif isinstance(value, list):
        for item in value:
            owned_objects(item, found)
    return found


def _owner(obj: dict) -> str | None:
    if obj.get("object") == "customer":
        return obj.get("id")
    customer = obj.get("customer")
    return customer.get("id") if isinstance(customer, dict) else customer


def landed_emails(landing: Path) -> dict[str, set[str]]:
    """customer id -> the emails its landed deliveries carry."""
    emails: dict[str, set[str]] = {}
    for record in read_journal(landing):
        for obj in owned_objects(json.loads(record["body"]), []):
            for key in ("email", "receipt_email"):
                if isinstance(obj.get(key), str) and "@" in obj[key]:
                    emails.setdefault(_owner(obj), set()).add(obj[key])
    return emails


def personal_values(landing: Path, customer_id: str) -> list:
    """The personal fields of the customer's objects in the landing files, as now stored."""
    values = []
    for record in read_journal(landing):
        for obj in owned_objects(json.loads(record["body"]), []):
            if _owner(obj) == customer_id:
                values += [v for k, v in obj.items() if k in PERSONAL_FIELDS]
    return values


def test_landing_files_forget_the_customer_and_later_deliveries_are_ingested(
    data_dir, sandbox, small_account
):
    landing = data_dir / "landing" / "webhooks"
    customer_id, emails = sorted(landed_emails(landing).items())[0]
    sizes = {p.name: p.stat().st_size for p in journal_files(landing)}
    assert personal_values(landing, customer_id)  # something to purge

    result = purge_customer(data_dir, data_dir / "warehouse.duckdb", customer_id)

    assert result.landing_lines >= 1
    assert {p.name: p.stat().st_size for p in journal_files(landing)} == sizes
    for path in journal_files(landing):
        text = path.read_bytes()
        assert not any(email.encode() in text for email in emails), f"email left in {path.name}"
    assert all(v is None for v in personal_values(landing, customer_id))
    later = next(
        body for body in reversed(list_events(small_account))
        if customer_id.encode() not in body
    )  # fmt: skip
    with ReceiverProcess(data_dir, secrets=(SECRET,)) as receiver:  # starts on the blanked files
        (sent,) = deliver([later], receiver.url, SECRET, forge="unknown-id")
    assert sent.status is not None and sent.status < 300
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        events_before = con.execute("select count(*) from events.events").fetchone()[0]
        exceptions_before = exception_count(con)

    resources = run_resources(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)
    process_events(resources, dg.DagsterInstance.ephemeral())

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from events.events").fetchone()[0] == events_before + 1
        assert con.execute(
            "select count(*) from events.events where id = ?", [orjson.loads(sent.payload)["id"]]
        ).fetchone() == (1,)
        assert exception_count(con) == exceptions_before  # nothing torn, nothing read twice
        payloads = [p for (p,) in con.execute(
            "select payload_received from events.events where contains(payload_received, ?)",
            [f'"{customer_id}"'],
        ).fetchall()]  # fmt: skip
    assert payloads and not any(email in p for p in payloads for email in emails)


def list_events(account: Path) -> list[bytes]:
    from stripe_sandbox.listing import AccountListing

    return AccountListing(account).events_oldest_first()


def exception_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(
        "select count(*) from events.event_processing_exceptions where stage = 'receive'"
    ).fetchone()[0]
