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
from dataclasses import dataclass, field

from pipeline.catalog.typed_fields import (
    BALANCE_TRANSACTION_FIELDS,
    CHARGE_FIELDS,
    CUSTOMER_FIELDS,
    DISPUTE_FIELDS,
    EVENT_FIELDS,
    INVOICE_FIELDS,
    INVOICE_LINE_FIELDS,
    INVOICE_PAYMENT_FIELDS,
    INVOICEITEM_FIELDS,
    PAYOUT_FIELDS,
    PRICE_FIELDS,
    PRODUCT_FIELDS,
    REFUND_FIELDS,
    SUBSCRIPTION_FIELDS,
    TRANSFER_FIELDS,
    Fields,
)

API_VERSION = "2026-10-28.endive"
"""The API version the pinned `stripe` SDK (16.1.0) sends by default."""


@dataclass(frozen=True)
class ListDefault:
    """A list parameter whose documented default leaves objects out, and what we do:
    `sent` — the object's `list_params` overrides it; `accepted` — the default is
    kept, for `reason` (which says what it costs)."""

    param: str
    default: str  # what Stripe documents happens without it
    decision: str  # "sent" | "accepted"
    reason: str


Column = tuple[str, str]
"""A raw column beyond the common ones: name and type name ("string", "int64", "bool")."""

"""Typed fields of a payload: each JSON key → a DuckDB type name ("bigint", "varchar",
"boolean", "integer", "double", "json"), a nested `Fields` (a struct) or a one-element
list (an array of it). The structure DuckDB's `from_json` takes, as plain data."""


@dataclass(frozen=True)
class ChildTable:
    """A raw table an object brings: rows listed once per qualifying instance (the parent)."""

    name: str  # the raw table: "invoice_line_items"
    path: str  # list path; `{parent}` is the parent's id: "/v1/invoices/{parent}/lines"
    rows: str  # row builder (`pipeline.extract.rows.CHILD_ROWS`): "parent_created"
    lists: str | None = None  # the catalogue object listed, whose `list_params` are sent
    parent_param: str | None = None  # the parent's id sent as this filter: "payout"
    only_if: str | None = None  # parents qualify when this field is truthy: "automatic"
    embedded: str | None = None  # parent field holding the first page: "lines"
    columns: tuple[Column, ...] = ()  # raw columns besides the common ones
    description: str = ""  # of its raw table
    typed: Fields = field(default_factory=dict, hash=False)  # parsed at load into `obj`


@dataclass(frozen=True)
class StripeObject:
    """One Stripe resource: how it is named, listed and filtered."""

    name: str  # plural, as in the list path and the raw table: "charges"
    object: str  # the `object` field of its instances: "charge"
    id_prefix: str  # "ch_"
    list_path: str  # "/v1/charges"
    filters: tuple[str, ...] = ()  # list filters besides `created`
    expandable: tuple[str, ...] = ()  # fields holding ids that `expand[]` can replace
    deletable: bool = False  # deleted instances retrieve as {"id", "object", "deleted": true}
    has_created: bool = True  # lists accept `created` and rows partition by its month
    parent: str | None = None  # nested list: lines are listed per invoice
    created_field: str = "created"  # invoice items have `date`, which `created` filters
    list_params: tuple[tuple[str, str], ...] = ()  # sent on every list request of it
    list_defaults: tuple[ListDefault, ...] = ()  # documented defaults that hide objects
    sdk_list_params: str = ""  # the SDK TypedDict documenting its list parameters
    listing_note: str = ""  # what a plain list returns, as documented
    children: tuple[ChildTable, ...] = ()  # raw tables its instances bring
    columns: tuple[Column, ...] = ()  # raw columns besides the common ones
    description: str = ""  # of its raw table; empty says "every Stripe <name> object"
    typed: Fields = field(default_factory=dict, hash=False)  # parsed at load into `obj`


TEST_CLOCK = ListDefault(
    "test_clock",
    "objects of a test clock are left out unless `test_clock` names the clock",
    "accepted",
    "test clocks exist in test mode only, never in live mode; their objects are "
    "simulations listed clock by clock. Their charges and invoices are still listed, "
    "and point at what is missing: `dangling_references` counts them",
)
DELETED = "deleted {} are never listed (only events and retrieve recall them)"

STRIPE_OBJECTS: tuple[StripeObject, ...] = (
    StripeObject(
        "customers", "customer", "cus_", "/v1/customers",
        filters=("email",), expandable=("default_source",), deletable=True,
        list_defaults=(TEST_CLOCK,), sdk_list_params="CustomerListParams",
        listing_note=DELETED.format("customers"), typed=CUSTOMER_FIELDS,
    ),
    StripeObject(
        "products", "product", "prod_", "/v1/products", filters=("active",), deletable=True,
        sdk_list_params="ProductListParams",
        listing_note="`active` has no default: active and inactive products are both listed; "
        + DELETED.format("products"),
        typed=PRODUCT_FIELDS,
    ),
    StripeObject(
        "prices", "price", "price_", "/v1/prices",
        filters=("active", "product", "currency", "type"), expandable=("product",),
        sdk_list_params="PriceListParams",
        listing_note="`active` and `type` have no default: every price is listed",
        typed=PRICE_FIELDS,
    ),
    StripeObject(
        "subscriptions", "subscription", "sub_", "/v1/subscriptions",
        filters=("customer", "status", "price"),
        expandable=("customer", "latest_invoice", "default_payment_method"),
        list_params=(("status", "all"),),
        list_defaults=(
            ListDefault(
                "status",
                "if no value is supplied, all subscriptions that have not been canceled "
                "are returned",
                "sent",
                "`all` returns every status, canceled ones (of deleted customers too) "
                "included; invoices and events refer to them",
            ),
            TEST_CLOCK,
        ),
        sdk_list_params="SubscriptionListParams",
        listing_note="with status=all every subscription but those of test clocks",
        typed=SUBSCRIPTION_FIELDS,
    ),
    StripeObject(
        "invoices", "invoice", "in_", "/v1/invoices",
        filters=("customer", "status", "subscription"), expandable=("customer", "payments"),
        sdk_list_params="InvoiceListParams",
        listing_note="`status` has no default: drafts, open, paid, uncollectible and void "
        "are all listed; deleted drafts are gone",
        children=(
            ChildTable(
                "invoice_line_items", "/v1/invoices/{parent}/lines", "parent_created",
                lists="invoice_line_items", embedded="lines",
                description="Invoice lines: embedded in invoices, or paged from "
                "/v1/invoices/{id}/lines when an invoice has more than are embedded.",
                typed=INVOICE_LINE_FIELDS,
            ),
        ),
        typed=INVOICE_FIELDS,
    ),
    StripeObject(
        "invoice_line_items", "line_item", "il_", "/v1/invoices/{parent}/lines",
        has_created=False, parent="invoices", sdk_list_params="InvoiceListLinesParams",
        listing_note="no filter: every line of the invoice",
    ),
    StripeObject(
        "invoice_payments", "invoice_payment", "inpay_", "/v1/invoice_payments",
        filters=("invoice", "status"), expandable=("invoice",),
        sdk_list_params="InvoicePaymentListParams",
        listing_note="`status` has no default: open, paid and canceled payments are listed",
        typed=INVOICE_PAYMENT_FIELDS,
    ),
    StripeObject(
        "invoiceitems", "invoiceitem", "ii_", "/v1/invoiceitems",
        filters=("customer", "invoice"), expandable=("customer", "invoice"),
        deletable=True, created_field="date", sdk_list_params="InvoiceItemListParams",
        listing_note="`pending` unspecified applies no filter: pending and invoiced items "
        "are both listed; " + DELETED.format("invoice items"),
        typed=INVOICEITEM_FIELDS,
    ),
    StripeObject(
        "charges", "charge", "ch_", "/v1/charges",
        filters=("customer", "payment_intent"), expandable=("balance_transaction", "customer"),
        sdk_list_params="ChargeListParams",
        listing_note="no default filter (only `transfer_group` limits a list, to 100)",
        typed=CHARGE_FIELDS,
    ),
    StripeObject(
        "refunds", "refund", "re_", "/v1/refunds",
        filters=("charge", "payment_intent"), expandable=("balance_transaction", "charge"),
        sdk_list_params="RefundListParams", listing_note="no default filter",
        typed=REFUND_FIELDS,
    ),
    StripeObject(
        "disputes", "dispute", "du_", "/v1/disputes",
        filters=("charge", "payment_intent"), expandable=("charge",),
        sdk_list_params="DisputeListParams", listing_note="no default filter",
        typed=DISPUTE_FIELDS,
    ),
    StripeObject(
        "payouts", "payout", "po_", "/v1/payouts",
        filters=("status", "arrival_date"), expandable=("balance_transaction",),
        sdk_list_params="PayoutListParams",
        listing_note="`status` has no default: pending, paid, failed and canceled are listed",
        children=(
            ChildTable(
                "payout_balance_transactions", "/v1/balance_transactions", "payout_bridge",
                lists="balance_transactions", parent_param="payout", only_if="automatic",
                columns=(("payout_id", "string"), ("balance_transaction_id", "string")),
                description="The payout ↔ balance transaction bridge, listed with ?payout= "
                "for each automatic payout (manual payouts cannot be itemized).",
                typed=BALANCE_TRANSACTION_FIELDS,
            ),
        ),
        typed=PAYOUT_FIELDS,
    ),
    StripeObject(
        "transfers", "transfer", "tr_", "/v1/transfers",
        filters=("destination", "transfer_group"), expandable=("balance_transaction",),
        sdk_list_params="TransferListParams", listing_note="no default filter",
        description="Connect transfers to connected accounts, with their reversals.",
        typed=TRANSFER_FIELDS,
    ),
    StripeObject(
        "balance_transactions", "balance_transaction", "txn_", "/v1/balance_transactions",
        filters=("payout", "type", "source", "currency"), expandable=("source",),
        sdk_list_params="BalanceTransactionListParams",
        listing_note="no default filter; `payout` itemizes automatic payouts only",
        typed=BALANCE_TRANSACTION_FIELDS,
    ),
    StripeObject(
        "events", "event", "evt_", "/v1/events", filters=("type", "types"),
        sdk_list_params="EventListParams",
        listing_note="no default filter; Stripe keeps events 30 days, older ones are not listed",
        typed=EVENT_FIELDS,
    ),
)  # fmt: skip

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
    """The resource an id belongs to, by its prefix (`ch_…` → charges)."""
    for obj in STRIPE_OBJECTS:
        if object_id.startswith(obj.id_prefix):
            return obj
    return None


EVENT_RETENTION_SECONDS = 30 * 86400
"""How far back Stripe keeps events (30 days): older ones are neither listed nor retrieved."""
