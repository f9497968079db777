"""The README's table of extracted objects is the catalogue and the dbt lineage, row for row.

On a mismatch the failure prints the table as it should read, to paste between
the README's `objects:start` / `objects:end` markers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.catalog import STRIPE_OBJECTS, ChildTable, StripeObject

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
MANIFEST = ROOT / "dbt_project" / "target" / "dagster" / "manifest.json"
HEADER = (
    "| Stripe object | how it is extracted | events | raw table | staging model | marts |\n"
    "| --- | --- | --- | --- | --- | --- |"
)


def marts_reading(manifest: dict, model: str) -> list[str]:
    """The marts that read a staging model, directly or through intermediate models
    (not the marts built on those marts)."""
    children = manifest["child_map"]
    found, todo, seen = set(), [f"model.stripe_warehouse.{model}"], set()
    while todo:
        node = todo.pop()
        for child in children.get(node, ()):
            if child in seen or not child.startswith("model."):
                continue
            seen.add(child)
            path = manifest["nodes"][child]["original_file_path"]
            if "/marts/" in path:
                if "/monitoring/" not in path:
                    found.add(child.rsplit(".", 1)[1])
                continue
            todo.append(child)
    return sorted(found)


def how(declared: StripeObject | ChildTable, parent: StripeObject | None) -> str:
    if parent is None:
        return f"list `GET {declared.list_path}`"
    path = declared.path.replace("{parent}", "{id}")
    query = f"?{declared.parent_param}={{id}}" if declared.parent_param else ""
    embedded = (
        f"embedded in `{parent.object}.{declared.embedded}`, then " if declared.embedded else ""
    )
    only = f" of each {parent.object} with `{declared.only_if}`" if declared.only_if else ""
    return f"{embedded}child list `GET {path}{query}`{only or f' per {parent.object}'}"


def event_prefixes(obj: StripeObject) -> str:
    """`charge.*, charge.refund.*`: the objects' event types, by prefix."""
    prefixes = dict.fromkeys(t.rsplit(".", 1)[0] for t in obj.event_types)
    return ", ".join(f"`{p}.*`" for p in prefixes)


def expected_rows(manifest: dict) -> list[str]:
    by_object = {o.name: o for o in STRIPE_OBJECTS}
    rows = []
    for obj in STRIPE_OBJECTS:
        if obj.parent:
            continue
        for declared, parent in ((obj, None), *((c, obj) for c in obj.children)):
            listed = by_object.get(getattr(declared, "lists", None) or declared.name, obj)
            kind = listed.object if parent is not None else obj.object
            events = event_prefixes(listed if parent is not None else obj)
            if not events and parent is not None and declared.embedded:
                events = f"in {event_prefixes(parent)}"
            model = f"stg_stripe__{declared.name}"
            marts = ", ".join(f"`{m}`" for m in marts_reading(manifest, model)) or "—"
            rows.append(
                f"| `{kind}` | {how(declared, parent)} | {events or '—'} | "
                f"`raw_stripe.{declared.name}` | `{model}` | {marts} |"
            )
    return rows


def readme_table() -> str:
    text = README.read_text()
    found = re.search(r"<!-- objects:start -->\n(.*?)\n<!-- objects:end -->", text, flags=re.S)
    assert found, "README.md lacks the <!-- objects:start --> … <!-- objects:end --> table"
    return found.group(1).strip()


def test_the_readme_lists_every_extracted_object_with_its_tables_and_marts() -> None:
    manifest = json.loads(MANIFEST.read_text())
    expected = "\n".join([HEADER, *expected_rows(manifest)])
    assert readme_table() == expected, f"README.md's objects table should read:\n\n{expected}\n"


def test_the_table_names_marts_for_the_money_objects() -> None:
    manifest = json.loads(MANIFEST.read_text())
    assert "transfers" in marts_reading(manifest, "stg_stripe__payouts")
    assert "transfer_charge_fees" in marts_reading(
        manifest, "stg_stripe__payout_balance_transactions"
    )
    assert "charges" in marts_reading(manifest, "stg_stripe__charges")
