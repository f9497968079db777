"""dbt docs describe every mart, its columns and every source, in words a newcomer reads.

Reads the manifest `make manifest` parses (descriptions with their doc blocks
rendered). The columns a mart really has are checked against the warehouse by
tests/integration/test_dbt_docs.py; here, what the ymls declare.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

MANIFEST = (
    Path(__file__).resolve().parents[2] / "dbt_project" / "target" / "dagster" / "manifest.json"
)
# Phrases that point at the project django-stripe-payments grew from without saying what they mean.
UNDECODED = re.compile(r"the origin'?s?\b|python original", re.IGNORECASE)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(MANIFEST.read_text())


def _models(manifest: dict, folder: str) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith(f"models/{folder}/")
    ]


def _described(entity: dict) -> bool:
    return bool((entity.get("description") or "").strip())


def test_every_mart_and_its_columns_are_described(manifest: dict) -> None:
    marts = _models(manifest, "marts")
    assert len(marts) > 30, "the manifest holds the marts"
    undescribed = [m["name"] for m in marts if not _described(m)]
    assert not undescribed, f"marts without a description: {undescribed}"
    no_columns = [m["name"] for m in marts if not m["columns"]]
    assert not no_columns, f"marts whose yml lists no columns: {no_columns}"
    bare = [
        f"{mart['name']}.{name}"
        for mart in marts
        for name, column in mart["columns"].items()
        if not _described(column)
    ]
    assert not bare, f"mart columns without a description: {bare}"


def test_every_model_is_described(manifest: dict) -> None:
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert not [m["name"] for m in models if not _described(m)]


def test_every_source_table_and_column_is_described(manifest: dict) -> None:
    sources = list(manifest["sources"].values())
    assert sources
    undescribed = [s["unique_id"] for s in sources if not _described(s)]
    assert not undescribed, f"source tables without a description: {undescribed}"
    no_columns = [s["unique_id"] for s in sources if not s["columns"]]
    assert not no_columns, f"source tables whose yml lists no columns: {no_columns}"
    bare = [
        f"{source['source_name']}.{source['name']}.{name}"
        for source in sources
        for name, column in source["columns"].items()
        if not _described(column)
    ]
    assert not bare, f"source columns without a description: {bare}"


def test_no_description_leaves_the_origin_undecoded(manifest: dict) -> None:
    entities = [*manifest["nodes"].values(), *manifest["sources"].values()]
    texts = [
        (entity["unique_id"], text)
        for entity in entities
        for text in [
            entity.get("description") or "",
            *(c.get("description") or "" for c in entity.get("columns", {}).values()),
        ]
    ]
    assert len(texts) > 1000
    undecoded = sorted({uid for uid, text in texts if UNDECODED.search(text)})
    assert not undecoded, f"descriptions naming 'the origin' without saying what it is: {undecoded}"


def test_doc_blocks_are_rendered_not_left_as_jinja(manifest: dict) -> None:
    raw = [
        uid
        for uid, node in manifest["nodes"].items()
        if "{{" in (node.get("description") or "")
        or any("{{" in (c.get("description") or "") for c in node.get("columns", {}).values())
    ]
    assert not raw, f"descriptions with unrendered jinja: {raw}"
