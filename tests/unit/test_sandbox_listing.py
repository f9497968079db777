"""List/retrieve queries over a small hand-built account file (no network)."""

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


def stored(resource: str, object_id: str, created: int, **fields) -> StoredObject:
    kind = BY_NAME[resource].object
    filters = fields.pop("filters", None)
    deleted = fields.pop("deleted", False)
    account = fields.pop("_account", "")
    body = {**FIXTURES[kind], "id": object_id, "created": created, **fields}
    return StoredObject(resource, object_id, created, orjson.dumps(body).decode(),
                        parent=fields.get("invoice") if resource == "invoice_line_items" else None,
                        deleted=deleted, filters=filters, account=account)  # fmt: skip


def build_account(path: Path) -> Path:
    writer = StoreWriter(path)
    writer.add([stored("customers", f"cus_{i}", T0 + i) for i in range(3)])
    writer.add([stored("customers", "cus_gone", T0 + 3, deleted=True)])
    writer.add(
        stored("charges", f"ch_{i:02d}", T0 + 100 + i // 2, customer=f"cus_{i % 3}",
               filters={"customer": f"cus_{i % 3}"})
        for i in range(25)
    )  # fmt: skip
    writer.add([stored("invoices", "in_1", T0 + 200, customer="cus_0")])
    writer.add(stored("invoice_line_items", f"il_{i}", T0 + 200, invoice="in_1") for i in range(5))
    types = ["charge.succeeded", "customer.created", "invoice.paid"]
    writer.add(
        stored(
            "events", f"evt_{i}", T0 + 300 + i, type=types[i % 3], filters={"type": types[i % 3]}
        )
        for i in range(9)
    )
    writer.add([stored("charges", "ch_conn", T0 + 50, _account="acct_conn")])
    writer.set_meta(platform_account="acct_platform", connected_accounts="acct_conn")
    return writer.close()


@pytest.fixture(scope="module")
def listing(tmp_path_factory) -> AccountListing:
    return AccountListing(build_account(tmp_path_factory.mktemp("sandbox") / "account.sqlite"))


def ids(bodies: list[bytes]) -> list[str]:
    return [orjson.loads(b)["id"] for b in bodies]


def page(listing, resource: str, query: bytes, account: str = ""):
    obj = BY_NAME[resource]
    return listing.page(account, obj, parse_list_query(obj, query))


def test_pages_are_newest_first_with_seq_breaking_ties(listing):
    first = page(listing, "charges", b"limit=4")
    assert ids(first.bodies) == ["ch_24", "ch_23", "ch_22", "ch_21"]
    assert first.has_more


def test_cursors_walk_both_directions_without_overlap(listing):
    walked, cursor = [], b""
    while True:
        result = page(listing, "charges", b"limit=7" + cursor)
        walked += ids(result.bodies)
        if not result.has_more:
            break
        cursor = b"&starting_after=" + walked[-1].encode()
    assert walked == [f"ch_{i:02d}" for i in range(24, -1, -1)]
    newer = page(listing, "charges", b"limit=3&ending_before=ch_10")
    assert ids(newer.bodies) == ["ch_13", "ch_12", "ch_11"] and newer.has_more
    newest = page(listing, "charges", b"limit=3&ending_before=ch_22")
    assert ids(newest.bodies) == ["ch_24", "ch_23"] and not newest.has_more


def test_created_windows_and_plain_created(listing):
    query = b"limit=100&created[gte]=%d&created[lt]=%d" % (T0 + 101, T0 + 103)
    window = page(listing, "charges", query)
    assert ids(window.bodies) == ["ch_05", "ch_04", "ch_03", "ch_02"]
    exact = page(listing, "charges", b"created=%d" % (T0 + 100))
    assert ids(exact.bodies) == ["ch_01", "ch_00"]


def test_filters_and_any_of_types(listing):
    by_customer = page(listing, "charges", b"limit=100&customer=cus_1")
    assert ids(by_customer.bodies) == [f"ch_{i:02d}" for i in range(24, -1, -1) if i % 3 == 1]
    paged = page(listing, "charges", b"limit=2&customer=cus_1&starting_after=ch_19")
    assert ids(paged.bodies) == ["ch_16", "ch_13"]
    both = page(listing, "events", b"types[0]=customer.created&types[1]=invoice.paid&limit=100")
    assert ids(both.bodies) == ["evt_8", "evt_7", "evt_5", "evt_4", "evt_2", "evt_1"]


def test_deleted_objects_are_not_listed_and_retrieve_as_stubs(listing):
    assert "cus_gone" not in ids(page(listing, "customers", b"limit=100").bodies)
    stub = orjson.loads(listing.retrieve("", BY_NAME["customers"], "cus_gone"))
    assert stub == {"id": "cus_gone", "object": "customer", "deleted": True}


def test_unknown_ids_and_cursors_are_stripe_errors(listing):
    with pytest.raises(ApiError) as missing:
        listing.retrieve("", BY_NAME["charges"], "cus_0")
    assert missing.value.status == 404 and missing.value.error["code"] == "resource_missing"
    with pytest.raises(ApiError) as cursor:
        page(listing, "charges", b"starting_after=ch_nope")
    assert cursor.value.status == 400 and cursor.value.error["param"] == "starting_after"


def test_invoice_lines_in_creation_order_and_accounts_kept_apart(listing):
    lines = BY_NAME["invoice_line_items"]
    first = listing.lines("", lines, "in_1", parse_list_query(lines, b"limit=3"))
    assert ids(first.bodies) == ["il_0", "il_1", "il_2"] and first.has_more
    rest = listing.lines("", lines, "in_1", parse_list_query(lines, b"starting_after=il_2"))
    assert ids(rest.bodies) == ["il_3", "il_4"] and not rest.has_more
    assert ids(page(listing, "charges", b"", account="acct_conn").bodies) == ["ch_conn"]
    assert listing.accounts == {"acct_conn": "acct_conn", "acct_platform": ""}


@pytest.mark.parametrize(
    ("query", "param"),
    [(b"limit=0", "limit"), (b"limit=101", "limit"), (b"limit=x", "limit"), (b"foo=1", "foo"),
     (b"created[between]=1", "created[between]"), (b"starting_after=", "starting_after"),
     (b"starting_after=ch_01&ending_before=ch_02", "ending_before")],
)  # fmt: skip
def test_bad_parameters_are_400_with_param(query, param):
    with pytest.raises(ApiError) as error:
        parse_list_query(BY_NAME["charges"], query)
    assert error.value.status == 400 and error.value.error["param"] == param
