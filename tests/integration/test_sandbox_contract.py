"""Every stored object has the shape of Stripe's own example of its resource.

Top-level keys must include all keys of the fixture example (stripe/openapi
fixtures3.json, shipped as `stripe_sandbox/templates/`) and may add only
attributes that the pinned `stripe` SDK's typed class declares; every field the
example carries must be served at every depth of nested hashes too. Read
straight from the account file; the HTTP layer is tested separately.
"""

from __future__ import annotations

import json
import re

import orjson
import pytest
import stripe
from stripe_reference import fixture_resources

from pipeline.catalog import BY_NAME, STRIPE_OBJECTS
from stripe_sandbox.generator import ensure_account
from stripe_sandbox.generator.templates import TEMPLATES_DIR
from stripe_sandbox.store import open_reader, read_meta

SDK_CLASS = {
    "customers": stripe.Customer, "products": stripe.Product, "prices": stripe.Price,
    "payment_intents": stripe.PaymentIntent, "payment_methods": stripe.PaymentMethod,
    "setup_intents": stripe.SetupIntent, "reviews": stripe.Review,
    "early_fraud_warnings": stripe.radar.EarlyFraudWarning,
    "checkout_sessions": stripe.checkout.Session, "checkout_session_line_items": stripe.LineItem,
    "subscriptions": stripe.Subscription, "invoices": stripe.Invoice,
    "invoice_line_items": stripe.InvoiceLineItem, "invoice_payments": stripe.InvoicePayment,
    "invoiceitems": stripe.InvoiceItem, "charges": stripe.Charge, "refunds": stripe.Refund,
    "disputes": stripe.Dispute, "payouts": stripe.Payout, "transfers": stripe.Transfer,
    "balance_transactions": stripe.BalanceTransaction, "events": stripe.Event,
    "subscription_items": stripe.SubscriptionItem, "transfer_reversals": stripe.TransferReversal,
    "coupons": stripe.Coupon, "promotion_codes": stripe.PromotionCode, "tax_rates": stripe.TaxRate,
    "discounts": stripe.Discount, "subscription_schedules": stripe.SubscriptionSchedule,
    "credit_notes": stripe.CreditNote, "credit_note_line_items": stripe.CreditNoteLineItem,
    "customer_balance_transactions": stripe.CustomerBalanceTransaction,
    "application_fees": stripe.ApplicationFee, "accounts": stripe.Account,
    "application_fee_refunds": stripe.ApplicationFeeRefund, "topups": stripe.Topup,
}  # fmt: skip
FIXTURE_KEY = {
    "subscription_items": "subscription_item",
    "discounts": "discount",
    "transfer_reversals": "transfer_reversal",
    "application_fees": "application_fee",
    "fee_refunds": "fee_refund",
    "application_fee_refunds": "fee_refund",
    "topups": "topup",
    "balance": "balance",
}
BASE62_ID = re.compile(r"[a-z]+_(sched_)?[0-9A-Za-z]{16,24}")  # sub_sched_…: schedules
OWNER_CHOSEN_IDS = {"coupons"}  # `SPRING25`, or Stripe's eight random characters


TEMPLATE_FILE = {"application_fee_refunds": "fee_refunds"}  # catalogue name → template
EMBEDDED_ONLY = {  # catalogue objects stored in their parent's body only: (parent, field)
    "transfer_reversals": ("transfers", "reversals"),
    "application_fee_refunds": ("application_fees", "refunds"),
}


def template_keys(name: str) -> set[str]:
    name = TEMPLATE_FILE.get(name, name)
    return set(json.loads((TEMPLATES_DIR / f"{name}.json").read_text()))


def sdk_keys(name: str) -> set[str]:
    names: set[str] = set()
    for cls in SDK_CLASS[name].__mro__:
        names |= {n for n in getattr(cls, "__annotations__", {}) if not n.startswith("_")}
    return names


TYPE_HASHES = {"payment_methods"}  # a PaymentMethod carries the hash of its own `type` only


def check_shape(name: str, body: dict) -> None:
    keys = set(body)
    missing = template_keys(name) - keys
    if name in TYPE_HASHES:
        missing -= {fixture_of(name)["type"]} - {body["type"]}
    extra = keys - template_keys(name) - sdk_keys(name)
    assert not missing, f"{name} {body.get('id')} lacks fixture fields {sorted(missing)}"
    assert not extra, f"{name} {body.get('id')} has unknown fields {sorted(extra)}"
    example = {k: v for k, v in fixture_of(name).items() if k not in NESTED_EXEMPT.get(name, ())}
    nested = missing_nested(example, body)
    assert not nested, f"{name} {body.get('id')} lacks nested fixture fields {sorted(nested)}"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_reader(ensure_account("small", data_dir=tmp_path_factory.mktemp("contract")))


def bodies(store, resource: str, account: str | None = None):
    if resource in EMBEDDED_ONLY:
        parent, field = EMBEDDED_ONLY[resource]
        return [item for body in bodies(store, parent, account) for item in body[field]["data"]]
    sql = "select body from objects where resource = ? and deleted = 0"
    args: tuple = (resource,)
    if account is not None:
        sql, args = sql + " and account = ?", (resource, account)
    return [orjson.loads(row[0]) for row in store.execute(sql, args)]


def test_templates_are_stripes_fixtures_unchanged():
    resources = fixture_resources()
    for path in sorted(TEMPLATES_DIR.glob("*.json")):
        key = FIXTURE_KEY.get(path.stem, BY_NAME[path.stem].object if path.stem in BY_NAME else "")
        assert json.loads(path.read_text()) == resources[key], path.name


@pytest.mark.parametrize("resource", [o.name for o in STRIPE_OBJECTS])
def test_every_stored_object_has_exactly_stripes_top_level_fields(store, resource):
    found = bodies(store, resource)
    assert found, f"the small account has no {resource}"
    obj = BY_NAME[resource]
    for body in found:
        check_shape(resource, body)
        assert body["object"] == obj.object
        assert body["id"].startswith(obj.id_prefix) or body["id"].startswith("py_")
        assert resource in OWNER_CHOSEN_IDS or BASE62_ID.fullmatch(body["id"]), body["id"]
        assert body.get("livemode", False) is False


EMBEDDED = (  # (parent resource, how to reach the embedded items, their resource)
    ("invoices", lambda o: o["lines"]["data"], "invoice_line_items"),
    ("charges", lambda o: o["refunds"]["data"], "refunds"),
    ("subscriptions", lambda o: o["items"]["data"], "subscription_items"),
    ("transfers", lambda o: o["reversals"]["data"], "transfer_reversals"),
    ("disputes", lambda o: o["balance_transactions"], "balance_transactions"),
    ("credit_notes", lambda o: o["lines"]["data"], "credit_note_line_items"),
)


@pytest.mark.parametrize(("parent", "items", "resource"), EMBEDDED, ids=[e[2] for e in EMBEDDED])
def test_embedded_objects_have_their_own_resource_shape(store, parent, items, resource):
    embedded = [item for body in bodies(store, parent) for item in items(body)]
    assert embedded, f"no {parent} embeds {resource}"
    for item in embedded:
        check_shape(resource, item)


def test_event_snapshots_have_the_shape_of_their_object(store):
    by_object = {o.object: o.name for o in STRIPE_OBJECTS} | {"application_fee": "application_fees"}
    by_object["discount"] = "discounts"  # customer.discount.* events carry the discount
    for event in bodies(store, "events"):
        snapshot = event["data"]["object"]
        assert event["type"].split(".")[0] in {"charge", "customer", "invoice", "invoiceitem",
                                               "invoice_payment", "payout", "price", "product",
                                               "coupon", "promotion_code", "tax_rate",
                                               "subscription_schedule",
                                               "payment_intent", "payment_method",
                                               "setup_intent", "review", "radar", "checkout",
                                               "refund", "transfer", "application_fee",
                                               "credit_note",
                                               "account", "topup"}  # fmt: skip
        check_shape(by_object[snapshot["object"]], snapshot)


def test_deleted_customers_are_stubs_and_connected_events_name_their_account(store):
    stubs = store.execute("select body from objects where deleted = 1").fetchall()
    assert stubs
    for (body,) in stubs:
        stub = orjson.loads(body)
        assert set(stub) == {"id", "object", "deleted"} and stub["deleted"] is True
    connected = read_meta(store)["connected_accounts"].split(",")
    for account in connected:
        events = bodies(store, "events", account)
        assert events and all(e["account"] == account for e in events)
    assert all("account" not in e for e in bodies(store, "events", ""))


def missing_nested(fixture: object, served: object, path: str = "") -> set[str]:
    """Paths of fields Stripe's example carries that the served object lacks, at any depth.

    Hashes are compared key by key, lists item by item against the example's first
    item; a hash of another `type` (a card's details against a bank debit's) and
    `metadata` (keys of the merchant's choosing) are not compared.
    """
    if isinstance(fixture, list) and isinstance(served, list):
        first = fixture[0] if fixture else None
        inner = f"{path.removesuffix('.')}[]."
        return {m for item in served for m in missing_nested(first, item, inner)}
    if not (isinstance(fixture, dict) and isinstance(served, dict)):
        return set()
    if "type" in fixture and "type" in served and fixture["type"] != served["type"]:
        return set()
    found = set()
    for key, value in fixture.items():
        if key == "metadata":
            continue
        if key not in served:
            found.add(f"{path}{key}")
        else:
            found |= missing_nested(value, served[key], f"{path}{key}.")
    return found


def fixture_of(resource: str) -> dict:
    return fixture_resources()[FIXTURE_KEY.get(resource) or BY_NAME[resource].object]


NESTED_EXEMPT = {"events": {"data"}}  # an event's snapshot is checked against its own object


@pytest.mark.parametrize("resource", [o.name for o in STRIPE_OBJECTS])
def test_every_field_of_stripes_example_is_served_at_every_depth(store, resource):
    example = {k: v for k, v in fixture_of(resource).items()
               if k not in NESTED_EXEMPT.get(resource, ())}  # fmt: skip
    missing: dict[str, int] = {}
    for body in bodies(store, resource):
        for path in missing_nested(example, body):
            missing[path] = missing.get(path, 0) + 1
    assert not missing, f"{resource} lacks nested fixture fields (path: objects): {missing}"
