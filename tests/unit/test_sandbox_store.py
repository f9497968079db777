"""The account file's storage keeps the account: same objects, same filters, any writer.

The `small` digests below were computed with the store of commit 8f505fa
(bodies as plain JSON text, filters in a rowid table), the `default` ones
with the generator of commit 29db44e (before its speed-ups): the store's
format and the generator's code may change, the objects served may not. The
digests cover the first version's objects only (recomputed at 17e90ac with
`seq` as their order among themselves, same objects): issue 13's domains add
objects beside them, drawn from their own RNG streams, and change none.
"""

from __future__ import annotations

import hashlib

import orjson

from stripe_sandbox.generator import generate
from stripe_sandbox.presets import PRESETS
from stripe_sandbox.store import open_reader

SMALL_OBJECTS = 2614
SMALL_OBJECTS_SHA256 = "816b23f57ce02605b3551c557a3df487e0a656b32a297f7923b7b8969abadd27"
SMALL_FILTERS_SHA256 = "dd48428076aa714108dcfe6a22f58e15d3689f48f3fca7814dbdc8a592654b83"
DEFAULT_OBJECTS = 35898
DEFAULT_OBJECTS_SHA256 = "494289307f4f560617892395823857a6586d4e4bd0a99a3aa7ee7d0d318cfbe4"
DEFAULT_FILTERS_SHA256 = "1b92f85473ff5fb06d1c5c451430912fc51e9911e0eb8f33cf3a2ec2b6b46267"


FIRST_VERSION = frozenset({
    "customers", "products", "prices", "subscriptions", "invoices", "invoice_line_items",
    "invoice_payments", "invoiceitems", "charges", "refunds", "disputes", "payouts",
    "transfers", "balance_transactions", "application_fees", "balance", "events",
})  # fmt: skip
"""The resources the digests cover: objects added since (issue 13's) are left out."""
FIRST_VERSION_OBJECTS = frozenset({"customer", "product", "price", "subscription", "invoice",
    "line_item", "invoice_payment", "invoiceitem", "charge", "refund", "dispute", "payout",
    "transfer", "balance_transaction", "application_fee", "balance"})  # fmt: skip


def first_version_rows(db) -> dict[int, tuple]:
    """seq → row of each object of the first version's resources (events of their objects)."""
    kept: dict[int, tuple] = {}
    for row in db.execute(
        "select account, resource, id, created, seq, parent, deleted, body from objects"
        " order by seq"
    ):
        if row[1] not in FIRST_VERSION:
            continue
        if row[1] == "events" and (
            orjson.loads(row[7])["data"]["object"].get("object") not in FIRST_VERSION_OBJECTS
        ):
            continue
        kept[row[4]] = row
    return kept


def digests(path) -> tuple[int, str, str]:
    """(objects, digest of every stored object, digest of every filter row).

    Only the first version's objects count, and `seq` as their creation order
    among themselves: objects added by later domains may come in between.
    """
    with open_reader(path) as db:
        kept = first_version_rows(db)
        order = {seq: n for n, seq in enumerate(kept)}
        objects = hashlib.sha256()
        for row in sorted(kept.values(), key=lambda r: (r[0], r[1], r[2])):
            objects.update(repr((*row[:4], order[row[4]], *row[5:])).encode())
        filters = hashlib.sha256()
        for row in db.execute(
            "select account, resource, name, value, created, seq, id from object_filters"
            " order by account, resource, name, value, created, seq, id"
        ):
            if row[5] in order:
                filters.update(repr((*row[:5], order[row[5]], row[6])).encode())
    return len(kept), objects.hexdigest(), filters.hexdigest()


def test_small_preset_serves_the_same_objects_as_before_the_compressed_store(tmp_path):
    path = generate(PRESETS["small"], tmp_path / "small.sqlite")
    assert digests(path) == (SMALL_OBJECTS, SMALL_OBJECTS_SHA256, SMALL_FILTERS_SHA256)


def test_default_preset_serves_the_same_objects_as_before_the_speed_ups(tmp_path):
    path = generate(PRESETS["default"], tmp_path / "default.sqlite", background=True)
    assert digests(path) == (DEFAULT_OBJECTS, DEFAULT_OBJECTS_SHA256, DEFAULT_FILTERS_SHA256)


def test_background_writer_gives_the_same_file(tmp_path):
    here = generate(PRESETS["small"], tmp_path / "here.sqlite", background=False)
    child = generate(PRESETS["small"], tmp_path / "child.sqlite", background=True)
    assert child.read_bytes() == here.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["child.sqlite", "here.sqlite"]


def test_bodies_are_stored_compressed_and_served_as_json(tmp_path):
    path = generate(PRESETS["small"], tmp_path / "small.sqlite")
    with open_reader(path) as db:
        stored, served = db.execute(
            "select sum(length(zbody)), sum(length(sandbox_body(resource, zbody)))"
            " from stored_objects"
        ).fetchone()
        (body,) = db.execute("select body from objects where resource = 'charges'").fetchone()
    assert stored * 3 < served
    assert isinstance(body, str) and '"object":"charge"' in body
