"""The account file's storage keeps the account: same objects, same filters, any writer.

The `small` digests below were computed with the store of commit 8f505fa
(bodies as plain JSON text, filters in a rowid table), the `default` ones
with the generator of commit 29db44e (before its speed-ups): the store's
format and the generator's code may change, the objects served may not.
"""

from __future__ import annotations

import hashlib

from stripe_sandbox.generator import generate
from stripe_sandbox.presets import PRESETS
from stripe_sandbox.store import open_reader

SMALL_OBJECTS = 2614
SMALL_OBJECTS_SHA256 = "a8c5590a0e04c2080ce76874f43b75b62fc271c234a88cb89759d1cacdf740fc"
SMALL_FILTERS_SHA256 = "f30784f688dd2254430600f21c640a11b8cc5994e8182653560c0eb178b413cc"
DEFAULT_OBJECTS = 35898
DEFAULT_OBJECTS_SHA256 = "75aa90c100f4c7ae52612d321e2f7b57c1113f9c760a71a1c00299b215690df2"
DEFAULT_FILTERS_SHA256 = "d475e0023a762648f7523e940ecefd5d5d7829b922e0d50684f48eacb0779a79"


def digests(path) -> tuple[int, str, str]:
    """(objects, digest of every stored object, digest of every filter row)."""
    with open_reader(path) as db:
        objects, rows = hashlib.sha256(), 0
        for row in db.execute(
            "select account, resource, id, created, seq, parent, deleted, body from objects"
            " order by account, resource, id"
        ):
            objects.update(repr(row).encode())
            rows += 1
        filters = hashlib.sha256()
        for row in db.execute(
            "select account, resource, name, value, created, seq, id from object_filters"
            " order by account, resource, name, value, created, seq, id"
        ):
            filters.update(repr(row).encode())
    return rows, objects.hexdigest(), filters.hexdigest()


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
