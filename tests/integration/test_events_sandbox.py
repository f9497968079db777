"""Sandbox events delivered to the receiver over HTTP, then validated and processed.

Stripe is the embedded sandbox (real HTTP, re-fetched with the stripe SDK);
the receiver is `python -m pipeline.events.webhooks serve` in a subprocess.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import duckdb
import orjson
import pytest

from pipeline.events.compare import differing_fields
from pipeline.events.fetch import SdkLookup
from pipeline.events.handlers import HandlerRegistry
from pipeline.events.reprocess import reprocess
from pipeline.events.sweep import run_events
from pipeline.raw.snapshots import table_of
from stripe_sandbox.listing import AccountListing
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta
from stripe_sandbox.webhooks import SIGNATURE_FORGERIES, deliver

SECRET = "whsec_events_sandbox"


def pick_events(listing: AccountListing, connected: list[str]) -> list[bytes]:
    """A sample: 40 platform events, 15 per connected account, every customer.deleted."""
    platform = listing.events_oldest_first()
    chosen = platform[:40] + [e for e in platform[40:] if b'"customer.deleted"' in e]
    for account in connected:
        events = listing.events_oldest_first(account=account)
        chosen += events[:15] + [e for e in events[15:] if b'"customer.deleted"' in e]
    return chosen


def resigned(payload: bytes, change) -> bytes:
    """The event changed by `change`, as someone holding the secret would send it."""
    event = orjson.loads(payload)
    change(event)
    return orjson.dumps(event)


def older_version(event: dict) -> None:
    event["api_version"] = "2024-06-20"
    event["data"]["object"].pop("livemode", None)
    event["data"]["object"]["legacy_field"] = "rendered by an older version"


def altered_amount(event: dict) -> None:
    event["data"]["object"]["amount"] += 1


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Everything delivered once, in reverse order, twice, plus forgeries; then one run."""
    from pipeline.events.webhooks.running import ReceiverProcess
    from stripe_sandbox.generator import ensure_account

    root = tmp_path_factory.mktemp("events_sandbox")
    account = ensure_account("small", data_dir=root / "sandbox")
    with open_reader(account) as db:
        meta = read_meta(db)
    connected = meta["connected_accounts"].split(",")
    listing = AccountListing(account)
    genuine = pick_events(listing, connected)
    platform = listing.events_oldest_first()
    charge_event = next(e for e in platform[40:] if b'"charge.succeeded"' in e)
    versioned = next(e for e in platform[40:] if b'"invoice.created"' in e)
    registry, seen = HandlerRegistry(), []
    registry.on("*")(lambda event, conn: seen.append(event["id"]))
    with SandboxServer(account) as sandbox, ReceiverProcess(root, (SECRET,)) as receiver:
        answers = {
            "first": deliver(reversed(genuine), receiver.url, SECRET),
            "again": deliver(genuine, receiver.url, SECRET),
            "forged": [
                d
                for f in sorted(SIGNATURE_FORGERIES)
                for d in deliver(genuine[:1], receiver.url, SECRET, forge=f)
            ],
            "unknown": deliver(genuine[:1], receiver.url, SECRET, forge="unknown-id"),
            "replay": deliver(genuine[1:2], receiver.url, SECRET, forge="replay"),
            "altered": deliver([resigned(charge_event, altered_amount)], receiver.url, SECRET),
            "versioned": deliver([resigned(versioned, older_version)], receiver.url, SECRET),
        }
        lookup = SdkLookup.for_base(sandbox.api_key, sandbox.base_url)
        warehouse = root / "warehouse.duckdb"
        summary = run_events(warehouse, root, lookup, now=int(meta["clock"]), registry=registry)
        second = run_events(warehouse, root, lookup, now=int(meta["clock"]), registry=registry)
        yield SimpleNamespace(
            root=root,
            warehouse=warehouse,
            lookup=lookup,
            registry=registry,
            seen=seen,
            answers=answers,
            summary=summary,
            second=second,
            clock=int(meta["clock"]),
            genuine=[orjson.loads(e) for e in genuine],
            charge_event=orjson.loads(charge_event),
            versioned=orjson.loads(versioned),
        )


def query(world, sql: str, params=()):
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        return conn.execute(sql, list(params)).fetchall()


def test_deliveries_are_acknowledged_stored_once_and_forgeries_refused(world):
    answers = world.answers
    assert {d.status for d in answers["first"] + answers["again"]} == {200}
    assert [d.status for d in answers["forged"]] == [400] * len(SIGNATURE_FORGERIES)
    assert [d.status for d in answers["replay"]] == [200, 200]  # stored once: see below
    stored = query(world, "select count(*) from events.events")[0][0]
    assert stored == len(world.genuine) + 3  # unknown-id, altered, versioned
    refused = query(
        world, "select count(*) from events.event_processing_exceptions where stage = 'receive'"
    )
    assert refused == [(len(SIGNATURE_FORGERIES),)]


def test_genuine_events_are_valid_and_handled_exactly_once(world):
    ids = [e["id"] for e in world.genuine]
    rows = dict(query(world, "select id, status from events.events where valid"))
    assert {i: rows.get(i) for i in ids} == dict.fromkeys(ids, "processed")
    # the altered delivery's id is real: Stripe's copy of it is handled, never the altered body
    assert sorted(world.seen) == sorted([*ids, world.versioned["id"], world.charge_event["id"]])
    assert world.second.processing == {}


def test_forged_bodies_never_touch_object_state(world):
    forged = query(world, "select id, differing_fields from events.events where status = 'forged'")
    assert [fields for _, fields in forged] == [["id"]]  # the unknown id
    altered = query(
        world,
        "select verdict, differing_fields from events.event_deliveries where event_id = ?",
        [world.charge_event["id"]],
    )
    assert altered == [("forged", ["data.object.amount"])]
    touched = query(
        world,
        "select count(*) from raw_stripe.charges where event_id in (select unnest(?))",
        [[i for i, _ in forged]],
    )
    assert touched == [(0,)]
    charge = world.charge_event["data"]["object"]
    amounts = query(
        world,
        "select json_extract(payload, '$.amount')::bigint from raw_stripe.charges where id = ?",
        [charge["id"]],
    )
    assert amounts == [(charge["amount"],)]


def test_a_payload_in_an_older_api_version_validates(world):
    row = query(
        world, "select valid, status from events.events where id = ?", [world.versioned["id"]]
    )
    assert row == [(True, "processed")]


def test_connect_events_are_refetched_with_their_account(world):
    connected = [e for e in world.genuine if e.get("account")]
    assert len(connected) >= 30  # 15 per connected account, plus its customer deletions
    rows = query(world, "select id, account, valid from events.events where account is not null")
    assert {(i, v) for i, a, v in rows} >= {(e["id"], True) for e in connected}


def test_deleted_customers_are_marked_deleted(world):
    deleted = [e for e in world.genuine if e["type"] == "customer.deleted"]
    assert deleted
    rows = dict(
        query(
            world, "select id, validation_status from events.events where type = 'customer.deleted'"
        )
    )
    assert set(rows.values()) == {"deleted"}
    customers = [e["data"]["object"]["id"] for e in deleted]
    flags = query(
        world,
        "select distinct is_deleted from raw_stripe.customers where id in (select unnest(?))",
        [customers],
    )
    assert flags == [(True,)]


def test_object_state_converges_to_what_stripe_serves_now(world):
    checked = 0
    for event in world.genuine:
        obj = event["data"]["object"]
        table = table_of(obj)
        if table is None or event["type"].endswith(".deleted"):
            continue
        sql = f"select payload, is_deleted from raw_stripe.{table} where id = ?"
        (payload, is_deleted) = query(world, sql, [obj["id"]])[0]
        current = world.lookup.object(obj["id"], event.get("account"), obj["object"])
        if current.get("deleted"):  # deleted since: its deletion event marks the row
            assert is_deleted, obj["id"]
            continue
        assert differing_fields(json.loads(payload), current) == []
        checked += 1
    assert checked > 50


def test_a_raising_handler_is_recorded_then_reprocessed(world):
    deleted = next(e for e in world.genuine if e["type"] == "customer.deleted")
    failures = []

    @world.registry.on("customer.deleted")
    def flaky(event, conn):
        failures.append(event["id"])
        if len(failures) == 1:
            raise RuntimeError("downstream unavailable")

    with duckdb.connect(str(world.warehouse)) as conn:
        conn.execute("update events.events set status = 'applied' where id = ?", [deleted["id"]])
        from pipeline.events.dispatch import dispatch_applied

        assert dispatch_applied(conn, world.registry) == {"handler_failed": 1}
        again = reprocess(
            conn,
            world.root / "raw",
            world.lookup,
            ids=[deleted["id"]],
            now=world.clock,
            registry=world.registry,
        )
    assert again == {"processed": 1}
    assert failures == [deleted["id"], deleted["id"]]
    assert world.seen.count(deleted["id"]) == 1
