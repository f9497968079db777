"""The small account shows every object type, status and event the pipeline must handle."""

from __future__ import annotations

from collections import Counter, defaultdict

import orjson
import pytest

from pipeline.catalog import API_VERSION, STRIPE_OBJECTS
from stripe_sandbox.generator import generate
from stripe_sandbox.presets import PRESETS
from stripe_sandbox.store import open_reader, read_meta

DAY = 86_400
EMBEDDED_ONLY = {  # catalogue objects the sandbox keeps in their parent's body: (parent, field)
    "transfer_reversals": ("transfers", "reversals"),
    "application_fee_refunds": ("application_fees", "refunds"),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_reader(generate(PRESETS["small"], tmp_path_factory.mktemp("acct") / "s.sqlite"))


def platform(store, resource: str) -> list[dict]:
    rows = store.execute(
        "select body from objects where account = '' and resource = ? and deleted = 0"
        " order by created, seq",
        (resource,),
    )
    return [orjson.loads(body) for (body,) in rows]


def statuses(store, resource: str) -> set[str]:
    return {obj["status"] for obj in platform(store, resource)}


def test_meta_describes_the_account_and_counts_what_is_listable(store):
    meta = read_meta(store)
    assert meta["clock"] == str(PRESETS["small"].clock) and meta["preset"] == "small"
    assert meta["api_version"] == API_VERSION and meta["seed"] == "42"
    assert meta["platform_account"].startswith("acct_")
    assert len(meta["connected_accounts"].split(",")) == PRESETS["small"].connected_accounts
    for obj in STRIPE_OBJECTS:
        (stored,) = store.execute(
            "select count(*) from objects where account = '' and resource = ? and deleted = 0",
            (obj.name,),
        ).fetchone()
        if obj.name in EMBEDDED_ONLY:  # stored inside their parent's body only
            parent, field = EMBEDDED_ONLY[obj.name]
            stored = sum(len(body[field]["data"]) for body in platform(store, parent))
        assert int(meta[f"count:{obj.name}"]) == stored > 0, obj.name


def test_every_lifecycle_status_is_present(store):
    assert statuses(store, "subscriptions") == {"trialing", "active", "past_due", "canceled"}
    assert statuses(store, "invoices") == {"draft", "open", "paid", "void", "uncollectible"}
    assert statuses(store, "charges") == {"succeeded", "failed"}
    assert statuses(store, "disputes") >= {"won", "lost", "needs_response", "under_review"}
    # The clock is a Sunday: Friday's payouts are in transit, none is waiting to be sent.
    assert statuses(store, "payouts") == {"paid", "in_transit", "failed", "canceled"}


def test_refunds_reversals_prorations_and_long_invoices_are_present(store):
    charges = {c["id"]: c for c in platform(store, "charges")}
    refunded = [c for c in charges.values() if c["amount_refunded"]]
    assert any(c["refunded"] for c in refunded) and any(not c["refunded"] for c in refunded)
    transfers = platform(store, "transfers")
    assert any(t["reversed"] for t in transfers)
    assert any(0 < t["amount_reversed"] < t["amount"] for t in transfers)
    assert any(item["proration"] and item["amount"] < 0 for item in platform(store, "invoiceitems"))
    long = [i for i in platform(store, "invoices") if i["lines"]["has_more"]]
    assert long and all(len(i["lines"]["data"]) == 10 for i in long)
    (deleted,) = store.execute("select count(*) from objects where deleted = 1").fetchone()
    assert deleted >= 1


def test_customer_cards_are_read_from_their_charges(store):
    customers = {c["id"]: c for c in platform(store, "customers")}
    cards = defaultdict(set)
    for charge in platform(store, "charges"):
        card = charge["payment_method_details"]["card"]
        cards[charge["customer"]].add(
            (
                charge["payment_method"],
                card["brand"],
                card["last4"],
                card["fingerprint"],
                card["exp_month"],
                card["exp_year"],
            )
        )
    for customer_id, seen in cards.items():
        assert len(seen) == 1, customer_id
        if customer_id in customers:
            settings = customers[customer_id]["invoice_settings"]
            assert settings["default_payment_method"] == next(iter(seen))[0]


def test_events_cover_the_last_30_days_only_with_snapshots_of_their_time(store):
    clock = PRESETS["small"].clock
    events = platform(store, "events")
    assert all(clock - 30 * DAY <= e["created"] <= clock for e in events)
    types = Counter(e["type"] for e in events)
    assert set(types) >= {
        "charge.refunded",
        "customer.updated",
        "customer.deleted",
        "invoice.paid",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "payout.paid",
        "payout.failed",
        "charge.dispute.created",
        "charge.dispute.closed",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.funds_reinstated",
        "invoice.voided",
        "invoice.marked_uncollectible",
        "transfer.reversed",
    }
    old_refunds = [
        e
        for e in events
        if e["type"] == "charge.refunded"
        and e["created"] - e["data"]["object"]["created"] > 60 * DAY
    ]
    assert old_refunds
    for event in events:
        assert event["api_version"] == API_VERSION and event["livemode"] is False
        assert event["id"].startswith("evt_")
        if event["type"].endswith(".updated"):
            assert event["data"]["previous_attributes"]


def test_an_event_keeps_the_state_of_its_moment(store):
    """A payout's `payout.created` snapshot is pending even though the payout is paid now."""
    now = {p["id"]: p for p in platform(store, "payouts")}
    created = [e for e in platform(store, "events") if e["type"] == "payout.created"]
    paid_later = [e for e in created if now[e["data"]["object"]["id"]]["status"] == "paid"]
    assert paid_later
    assert all(e["data"]["object"]["status"] == "pending" for e in paid_later)
