"""Signed poison and forged deliveries between genuine ones: every genuine event is processed.

The real receiver over HTTP, the sandbox as Stripe, real DuckDB and real Dagster
materializations of `validated_events` and `processed_events`. Each genuine
event is preceded by a signed forgery of its id (sent BEFORE it), by a signed
delivery of every poison variant and by a fuzzed set (hypothesis over the
envelope), and followed by a re-delivery and a second forgery.
"""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import dagster as dg
import duckdb
import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from pipeline.cli.main_job import Target, run_resources
from pipeline.defs.assets.events import processed_events, validated_events
from pipeline.events.fetch import SdkLookup
from pipeline.events.webhooks.running import ReceiverProcess
from pipeline.stripe_ids import InvalidStripeId
from stripe_sandbox.listing import AccountListing
from stripe_sandbox.webhooks import deliver, sign

SECRET = "whsec_poison"
GENUINE = 5
FUZZED = 40
POISON = {
    "created_overflow": lambda e: e.update(created=2**63),
    "livemode_yes": lambda e: e.update(livemode="yes"),
    "account_number": lambda e: e.update(account=123),
    "api_version_object": lambda e: e.update(api_version={}),
    "request_id_number": lambda e: e.update(request={"id": 5}),
    "object_id_number": lambda e: e["data"]["object"].update(id=7),
    "id_trailing_slash": lambda e: e.update(id=e["id"] + "/"),
    "id_parent_path": lambda e: e.update(id="../events/" + e["id"]),
    "id_inner_path": lambda e: e.update(id="x/../" + e["id"]),
    "id_encoded_slash": lambda e: e.update(id=e["id"] + "%2F"),
    "id_fragment": lambda e: e.update(id=e["id"] + "#frag"),
}
junk = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=12), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.sampled_from(["evt_1", "acct_1", "2024-06-20", "charge.refunded", "../x"]),
)  # fmt: skip
envelope_fields = st.sampled_from(
    ["id", "object", "type", "created", "livemode", "api_version", "account", "request",
     "pending_webhooks", "data"]
)  # fmt: skip


def changed(payload: bytes, change) -> bytes:
    event = orjson.loads(payload)
    change(event)
    return json.dumps(event, separators=(",", ":")).encode()  # orjson stops at 64-bit ints


def post_signed(client, url: str, body: bytes, now: int) -> int:
    headers = {"content-type": "application/json", "stripe-signature": sign(body, SECRET, now)}
    return client.post(url, content=body, headers=headers).status_code


def fuzz(genuine: list[bytes], url: str, answers: list[tuple[int, bytes]]) -> None:
    """Post FUZZED signed mutations of the genuine events; their answers go to `answers`."""
    with httpx.Client(timeout=10) as client:

        @seed(20261201)
        @settings(max_examples=FUZZED, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(st.sampled_from(genuine), st.dictionaries(envelope_fields, junk, max_size=3))
        def post_one(payload, changes):
            body = changed(payload, lambda e: e.update(changes))
            answers.append((post_signed(client, url, body, int(time.time())), body))

        post_one()


@pytest.fixture(scope="module")
def world(sandbox, small_account, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("poison")
    platform = AccountListing(small_account).events_oldest_first()
    genuine = [e for e in platform if b'"charge.succeeded"' in e][:GENUINE]
    amount_up = lambda e: e["data"]["object"].update(amount=e["data"]["object"]["amount"] + 1)  # noqa: E731
    tampered = lambda e: e["data"]["object"].update(metadata={"tampered": "true"})  # noqa: E731
    answers: dict[str, list] = {"before": [], "poison": [], "genuine": [], "after": []}
    fuzzed: list[tuple[int, bytes]] = []
    with ReceiverProcess(data_dir, secrets=(SECRET,)) as receiver:
        for payload in genuine:
            answers["before"] += deliver([changed(payload, amount_up)], receiver.url, SECRET)
            for name in sorted(POISON):
                poison = changed(payload, POISON[name])
                answers["poison"] += deliver([poison], receiver.url, SECRET)
        fuzz(genuine, receiver.url, fuzzed)
        answers["genuine"] = deliver(genuine, receiver.url, SECRET)
        answers["again"] = deliver(genuine, receiver.url, SECRET)
        answers["after"] = deliver([changed(p, tampered) for p in genuine], receiver.url, SECRET)
    resources = run_resources(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)
    instance = dg.DagsterInstance.ephemeral()
    runs = [
        dg.materialize([validated_events, processed_events], resources=resources,
                       instance=instance, raise_on_error=False)
        for _ in range(2)
    ]  # fmt: skip
    return SimpleNamespace(
        warehouse=data_dir / "warehouse.duckdb", genuine=[orjson.loads(e) for e in genuine],
        answers=answers, fuzzed=fuzzed, runs=runs,
    )  # fmt: skip


def query(world, sql: str, params=()):
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        return conn.execute(sql, list(params)).fetchall()


def statuses(deliveries) -> list:
    return [d.status for d in deliveries]


def test_the_receiver_refuses_poison_and_stores_every_distinct_body(world):
    assert len(world.genuine) == GENUINE
    assert statuses(world.answers["poison"]) == [400] * GENUINE * len(POISON)
    for kind in ("before", "genuine", "again", "after"):
        assert statuses(world.answers[kind]) == [200] * GENUINE, kind
    assert len(world.fuzzed) == FUZZED
    assert {status for status, _ in world.fuzzed} == {200, 400}  # some pass the envelope


def test_the_event_assets_succeed_and_every_genuine_event_is_processed(world):
    assert [run.success for run in world.runs] == [True, True]
    ids = [e["id"] for e in world.genuine]
    rows = dict(query(world, "select id, status from events.events where valid"))
    assert {i: rows.get(i) for i in ids} == dict.fromkeys(ids, "processed")
    charges = {e["data"]["object"]["id"]: e["data"]["object"]["amount"] for e in world.genuine}
    raw = query(
        world,
        "select id, json_extract(payload, '$.amount')::bigint from raw_stripe.charges "
        "where id in (select unnest(?))",
        [list(charges)],
    )
    assert dict(raw) == charges
    waiting = query(world, "select count(*) from events.events where status = 'received'")
    assert waiting == [(0,)]


def test_each_bad_delivery_is_one_exception_or_forged_row(world):
    ids = [e["id"] for e in world.genuine]
    verdicts = query(
        world,
        "select verdict, count(*) from events.event_deliveries "
        "where event_id in (select unnest(?)) group by 1",
        [ids],
    )
    accepted_fuzz = [body for status, body in world.fuzzed if status == 200]
    fuzz_same_id = [b for b in accepted_fuzz if orjson.loads(b).get("id") in ids]
    counts = dict(verdicts)
    assert counts["genuine"] == GENUINE
    assert GENUINE * 2 <= counts["forged"] <= GENUINE * 2 + len(fuzz_same_id)
    refused = len(world.answers["poison"]) + sum(1 for s, _ in world.fuzzed if s == 400)
    receive = query(
        world, "select count(*) from events.event_processing_exceptions where stage = 'receive'"
    )
    assert receive == [(refused,)]
    forged_rows = query(
        world,
        "select count(*) from events.event_processing_exceptions "
        "where stage = 'validate' and source_key like 'delivery:%'",
    )
    judged = query(world, "select count(*) from events.event_deliveries where verdict <> 'genuine'")
    assert forged_rows == judged
    pending = query(world, "select count(*) from events.event_deliveries where verdict = 'pending'")
    assert pending == [(0,)]


@pytest.mark.parametrize("name", sorted(n for n in POISON if n.startswith("id_")))
def test_ids_with_path_tricks_are_refused_not_fetched_as_the_real_event(world, sandbox, name):
    lookup = SdkLookup.for_base(sandbox.api_key, sandbox.base_url)
    real = world.genuine[0]
    tricked = dict(real)
    POISON[name](tricked)
    with pytest.raises(InvalidStripeId):
        lookup.event(tricked["id"], None)
    assert lookup.event(real["id"], None)["id"] == real["id"]
    stored = query(world, "select count(*) from events.events where id = ?", [tricked["id"]])
    assert stored == [(0,)]
