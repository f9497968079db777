"""Documented list parameters over a hand-built account: defaults, enums, JSON filters."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from stripe_reference import fixture_resources

from stripe_sandbox.errors import ApiError
from stripe_sandbox.listing import AccountListing
from stripe_sandbox.params import parse_list_query
from stripe_sandbox.resources import BY_NAME
from stripe_sandbox.store import StoredObject, StoreWriter

FIXTURES = fixture_resources()
T0 = 1_700_000_000
STATUSES = ["active", "canceled", "incomplete_expired", "trialing", "canceled", "past_due"]


def subscription(i: int, status: str) -> StoredObject:
    item = {**FIXTURES["subscription_item"], "current_period_start": T0 + i,
            "current_period_end": T0 + 100 + i, "price": {"id": f"price_{i % 2}"},
            "plan": {"id": f"price_{i % 2}"}}  # fmt: skip
    body = {**FIXTURES["subscription"], "id": f"sub_{i}", "created": T0 + i, "status": status,
            "collection_method": "send_invoice" if i == 3 else "charge_automatically",
            "items": {"object": "list", "data": [item]}}  # fmt: skip
    filters = {"status": status, "customer": "cus_1", "price": f"price_{i % 2}"}
    return StoredObject("subscriptions", f"sub_{i}", T0 + i, orjson.dumps(body).decode(),
                        filters=filters)  # fmt: skip


def event(i: int, kind: str) -> StoredObject:
    body = {**FIXTURES["event"], "id": f"evt_{i}", "created": T0 + i, "type": kind}
    return StoredObject("events", f"evt_{i}", T0 + i, orjson.dumps(body).decode(),
                        filters={"type": kind})  # fmt: skip


def product(i: int, kind: str) -> StoredObject:
    body = {**FIXTURES["product"], "id": f"prod_{i}", "created": T0 + i, "type": kind,
            "shippable": kind == "good", "active": True}  # fmt: skip
    return StoredObject("products", f"prod_{i}", T0 + i, orjson.dumps(body).decode(),
                        filters={"active": "true"})  # fmt: skip


@pytest.fixture(scope="module")
def listing(tmp_path_factory) -> AccountListing:
    writer = StoreWriter(Path(tmp_path_factory.mktemp("params")) / "account.sqlite")
    writer.add(subscription(i, status) for i, status in enumerate(STATUSES))
    kinds = ["invoice.paid", "invoice.created", "charge.succeeded", "invoiceitem.created"]
    writer.add(event(i, kind) for i, kind in enumerate(kinds))
    writer.add(product(i, kind) for i, kind in enumerate(["good", "service", "good"]))
    return AccountListing(writer.close())


def ids(listing, resource: str, query: bytes) -> list[str]:
    obj = BY_NAME[resource]
    page = listing.page("", obj, parse_list_query(obj, b"limit=100&" + query))
    return [orjson.loads(body)["id"] for body in page.bodies]


def subs(*indexes: int) -> list[str]:
    return [f"sub_{i}" for i in sorted(indexes, reverse=True)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [(b"", subs(0, 2, 3, 5)), (b"status=all", subs(0, 1, 2, 3, 4, 5)),
     (b"status=ended", subs(1, 2, 4)), (b"status=canceled", subs(1, 4)),
     (b"customer=cus_1", subs(0, 2, 3, 5)), (b"price=price_0", subs(0, 2)),
     (b"plan=price_1&status=all", subs(1, 3, 5)),
     (b"collection_method=send_invoice", subs(3)),
     (b"current_period_end[gte]=%d&status=all" % (T0 + 103), subs(3, 4, 5)),
     (b"current_period_start[lt]=%d" % (T0 + 2), subs(0))],
)  # fmt: skip
def test_subscriptions_leave_out_canceled_unless_asked(listing, query, expected):
    assert ids(listing, "subscriptions", query) == expected


def test_event_types_take_wildcards(listing):
    assert ids(listing, "events", b"type=invoice.*") == ["evt_1", "evt_0"]
    assert ids(listing, "events", b"type=invoice.paid") == ["evt_0"]
    assert ids(listing, "events", b"types[]=charge.*&types[]=invoiceitem.created") == [
        "evt_3", "evt_2"]  # fmt: skip


def test_products_by_ids_type_and_shippable(listing):
    assert ids(listing, "products", b"ids[0]=prod_0&ids[1]=prod_1") == ["prod_1", "prod_0"]
    assert ids(listing, "products", b"type=good") == ["prod_2", "prod_0"]
    assert ids(listing, "products", b"shippable=false") == ["prod_1"]


@pytest.mark.parametrize(
    ("resource", "query", "param", "message"),
    [("subscriptions", b"status=bogus", "status", "Invalid status: must be one of active, all,"),
     ("invoices", b"status=bogus", "status", "Invalid status: must be one of draft,"),
     ("invoice_payments", b"status=x", "status", "Invalid status: must be one of canceled,"),
     ("prices", b"type=bogus", "type", "Invalid type: must be one of one_time or recurring"),
     ("prices", b"recurring[interval]=hour", "recurring[interval]", "Invalid recurring[interval]"),
     ("products", b"shippable=maybe", "shippable", "Invalid boolean: maybe"),
     ("products", b"ids=prod_1", "ids", "Invalid array"),
     ("charges", b"customer[gte]=1", "customer", "Received unknown parameter: customer"),
     ("charges", b"payment[type]=x", "payment[type]", "Received unknown parameter: payment[type]")],
)  # fmt: skip
def test_bad_values_are_stripes_400_naming_the_parameter(resource, query, param, message):
    with pytest.raises(ApiError) as error:
        parse_list_query(BY_NAME[resource], query)
    found = error.value.error
    assert error.value.status == 400 and found["type"] == "invalid_request_error"
    assert found["param"] == param and found["message"].startswith(message)
