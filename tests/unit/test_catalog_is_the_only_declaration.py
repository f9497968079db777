"""The catalogue is the only place a Stripe object is declared.

A hypothetical object added as one catalogue entry (with a child table) shows
up in every place that derives from it: the raw tables, the Arrow schema, the
DuckDB DDL, the raw Dagster assets and the child listing plan. The dbt side
(the `stripe` source and its staging models) is checked against the catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pytest
import yaml

from pipeline import catalog
from pipeline.catalog import ChildTable, StripeObject, raw_tables, tables_for
from pipeline.defs.assets.raw import raw_specs
from pipeline.extract.children import child_request
from pipeline.extract.rows import CHILD_ROWS
from pipeline.extract.schema import RAW_FIELDS, raw_schema
from pipeline.raw.loader import objects_for_tables
from pipeline.raw.schema import create_table_sql

STAGING = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "staging" / "stripe"

WIDGETS = StripeObject(
    "widgets", "widget", "wid_", "/v1/widgets",
    list_params=(("status", "all"),),
    sdk_list_params="WidgetListParams", listing_note="every widget",
    description="Widgets, as Stripe returned them.",
    children=(
        ChildTable(
            "widget_parts", "/v1/widgets/{parent}/parts", "parent_created",
            lists="widgets", parent_param="widget", only_if="assembled",
            columns=(("widget_id", "string"), ("part_count", "int64")),
            description="The parts of each assembled widget.",
        ),
    ),
)  # fmt: skip


@pytest.fixture
def with_widgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue with one more entry, and nothing else changed."""
    monkeypatch.setattr(catalog, "STRIPE_OBJECTS", (*catalog.STRIPE_OBJECTS, WIDGETS))


def test_the_catalogue_lists_every_raw_table_once_children_after_their_parent() -> None:
    tables = raw_tables()
    assert len(tables) == len(set(tables))
    assert tables.index("invoice_line_items") == tables.index("invoices") + 1
    assert tables.index("payout_balance_transactions") == tables.index("payouts") + 1
    for obj in catalog.STRIPE_OBJECTS:
        for child in obj.children:
            assert child.rows in CHILD_ROWS, child.name
        if obj.parent:  # a nested object is its parent's child table
            assert obj.name in tables_for(catalog.BY_NAME[obj.parent]), obj.name


def test_an_added_object_is_a_raw_table_with_its_child(with_widgets) -> None:
    assert raw_tables()[-2:] == ["widgets", "widget_parts"]
    assert tables_for(WIDGETS) == ("widgets", "widget_parts")
    assert objects_for_tables(["widget_parts"]) == [WIDGETS]


def test_an_added_object_has_its_arrow_schema_and_ddl(with_widgets) -> None:
    assert raw_schema("widgets") == pa.schema(RAW_FIELDS)
    parts = raw_schema("widget_parts")
    assert parts.names[-2:] == ["widget_id", "part_count"]
    assert parts.field("part_count").type == pa.int64()
    ddl = create_table_sql("widget_parts")
    assert ddl.startswith("create table if not exists raw_stripe.widget_parts (id varchar")
    assert ddl.endswith("widget_id varchar, part_count bigint)")


def test_an_added_object_is_a_raw_asset(with_widgets) -> None:
    specs = {spec.key: spec for spec in raw_specs()}
    assert set(specs) == {dg.AssetKey(["stripe", t]) for t in raw_tables()}
    widgets = specs[dg.AssetKey(["stripe", "widgets"])]
    assert widgets.description.startswith("Widgets, as Stripe returned them.")
    assert widgets.group_name == "raw"
    parts = specs[dg.AssetKey(["stripe", "widget_parts"])]
    assert parts.description.startswith("The parts of each assembled widget.")


def test_an_added_child_is_listed_per_qualifying_parent(with_widgets) -> None:
    (parts,) = WIDGETS.children
    assert child_request(parts, {"id": "wid_1", "assembled": True}) == (
        "/v1/widgets/wid_1/parts",
        {"status": "all", "widget": "wid_1"},
    )
    assert child_request(parts, {"id": "wid_2", "assembled": False}) is None


def stripe_source_tables() -> list[dict]:
    sources = yaml.safe_load((STAGING / "_stripe__sources.yml").read_text())["sources"]
    return next(s for s in sources if s["name"] == "stripe")["tables"]


def test_the_dbt_stripe_source_is_the_catalogue_raw_tables_each_described() -> None:
    tables = stripe_source_tables()
    names = [t["name"] for t in tables]
    assert sorted(names) == sorted(raw_tables())  # grouped by domain in the yml, not ordered
    assert all(t.get("description") for t in tables)


def test_every_raw_table_has_a_staging_model_and_only_raw_tables_are_staged() -> None:
    read = {}  # staging model → the `stripe` source tables it reads
    for sql in STAGING.glob("stg_stripe__*.sql"):
        read[sql.stem] = set(re.findall(r"source\('stripe',\s*'(\w+)'\)", sql.read_text()))
    for table in raw_tables():
        assert table in read.get(f"stg_stripe__{table}", set()), table
    assert set().union(*read.values()) == set(raw_tables())
