"""The catalogue: the Stripe objects this project knows, said once, as data.

The sandbox serves them, the extractor lists them and dbt stages them; each
loops over this table instead of repeating a function per object. An object
also declares the raw tables it brings (its `children`), their extra columns
and descriptions: the raw schema, DDL, Dagster assets and the loader derive
from `raw_tables()` and friends, so a new object is one entry here (plus its
staging model).

Every list parameter of every listed object was read in the pinned SDK's
`stripe/params/_*_list_params.py` docstrings (its defaults are Stripe's): a
default that leaves objects out is a `ListDefault` with a decision, and what
a plain list returns is the object's `listing_note`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from pipeline.catalog.billing import BILLING_CHILDREN, BILLING_OBJECTS, CARRIED_EVENT_TYPES
from pipeline.catalog.connect import CONNECT_CHILDREN, CONNECT_OBJECTS
from pipeline.catalog.core import CORE_OBJECTS, EVENTS
from pipeline.catalog.credits import CREDIT_CHILDREN, CREDIT_OBJECTS
from pipeline.catalog.model import ChildTable, Column, ListDefault, StripeObject
from pipeline.catalog.payments import PAYMENT_CHILDREN, PAYMENT_OBJECTS
from pipeline.catalog.typed_fields import Fields

__all__ = [
    "CARRIED_EVENT_TYPES",
    "ChildTable",
    "Column",
    "Fields",
    "ListDefault",
    "StripeObject",
]

API_VERSION = "2026-10-28.endive"
"""The API version the pinned `stripe` SDK (16.1.0) sends by default."""


def _with_children(
    objects: Iterable[StripeObject], *extra: dict[str, tuple[ChildTable, ...]]
) -> tuple[StripeObject, ...]:
    """The objects, each with the child tables other domains add to it."""
    added: dict[str, tuple[ChildTable, ...]] = {}
    for children in extra:
        for parent, tables in children.items():
            added[parent] = added.get(parent, ()) + tables
    unknown = set(added) - {o.name for o in objects}
    if unknown:
        raise KeyError(f"child tables of objects not in the catalogue: {sorted(unknown)}")
    return tuple(
        replace(o, children=o.children + added[o.name]) if o.name in added else o for o in objects
    )


STRIPE_OBJECTS: tuple[StripeObject, ...] = _with_children(
    (*CORE_OBJECTS, *PAYMENT_OBJECTS, *BILLING_OBJECTS, *CREDIT_OBJECTS, *CONNECT_OBJECTS, EVENTS),
    PAYMENT_CHILDREN,
    BILLING_CHILDREN,
    CREDIT_CHILDREN,
    CONNECT_CHILDREN,
)
"""Every object, in raw-table order: the first version's, then each domain's, events last."""

BY_NAME: dict[str, StripeObject] = {o.name: o for o in STRIPE_OBJECTS}
BY_OBJECT: dict[str, StripeObject] = {o.object: o for o in STRIPE_OBJECTS}
ZERO_DECIMAL_CURRENCIES: frozenset[str] = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
     "vuv", "xaf", "xof", "xpf"}
)  # fmt: skip


def object_named(name: str | None) -> StripeObject | None:
    """The catalogue entry called `name` (read at call time, unlike `BY_NAME`)."""
    return next((o for o in STRIPE_OBJECTS if o.name == name), None)


def listed_object(obj: StripeObject) -> StripeObject:
    """The object whose list yields `obj`'s rows (invoice lines come with invoices)."""
    parent = object_named(obj.parent)
    return parent if parent else obj


def tables_for(obj: StripeObject) -> tuple[str, ...]:
    """Raw tables written when `obj` is extracted: its listed object's, then its children."""
    listed = listed_object(obj)
    return (listed.name, *(child.name for child in listed.children))


def raw_tables() -> list[str]:
    """Every raw table, in catalogue order (children after their parent)."""
    return [t for obj in STRIPE_OBJECTS if not obj.parent for t in tables_for(obj)]


def objects_for_tables(tables: Iterable[str]) -> list[StripeObject]:
    """The listed objects that produce `tables` (invoice lines come from invoices)."""
    wanted = set(tables)
    return [o for o in STRIPE_OBJECTS if not o.parent and wanted & set(tables_for(o))]


def raw_table(table: str) -> StripeObject | ChildTable | None:
    """What declares a raw table: a listed object or one of its children."""
    for obj in STRIPE_OBJECTS:
        if obj.parent:
            continue
        for declared in (obj, *obj.children):
            if declared.name == table:
                return declared
    return None


def raw_columns(table: str) -> tuple[Column, ...]:
    """A raw table's columns besides the common ones (none for a table not declared)."""
    declared = raw_table(table)
    return declared.columns if declared else ()


def raw_description(table: str) -> str:
    """What a raw table holds."""
    declared = raw_table(table)
    if declared and declared.description:
        return declared.description
    return f"Every Stripe {table.replace('_', ' ')} object, as Stripe returned it."


def typed_fields(table: str) -> Fields:
    """A raw table's typed fields (none for a table not declared, or declaring none)."""
    declared = raw_table(table)
    return declared.typed if declared else {}


def json_structure(fields: Fields) -> str:
    """The typed fields as the JSON structure DuckDB's `from_json(payload, structure)` takes."""
    return json.dumps(fields, separators=(",", ":"))


def object_for_id(object_id: str) -> StripeObject | None:
    """The resource an id belongs to, by its longest matching prefix (`ch_…` → charges;
    `sub_sched_…` → subscription schedules, not subscriptions)."""
    matching = [o for o in STRIPE_OBJECTS if o.id_prefix and object_id.startswith(o.id_prefix)]
    return max(matching, key=lambda o: len(o.id_prefix), default=None)  # coupons have none


EVENT_RETENTION_SECONDS = 30 * 86400
"""How far back Stripe keeps events (30 days): older ones are neither listed nor retrieved."""
