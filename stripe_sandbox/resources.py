"""The Stripe resources the sandbox serves, said once, as data: the sandbox's own.

The sandbox stands for Stripe, so it keeps its own description of Stripe and
imports nothing of the pipeline: the two cannot agree by construction. Tests
hold this table to Stripe's published artifacts (the pinned SDK's params and
resource classes, fixtures3.json).
"""

from __future__ import annotations

from dataclasses import dataclass

API_VERSION = "2026-10-28.endive"
"""The API version the sandbox renders (the pinned `stripe` SDK's default)."""


@dataclass(frozen=True)
class Resource:
    """One Stripe resource: how it is named, listed and filtered."""

    name: str  # plural, as in the list path and the raw table: "charges"
    object: str  # the `object` field of its instances: "charge"
    id_prefix: str  # "ch_"
    list_path: str  # "/v1/charges"
    filters: tuple[str, ...] = ()  # filters the generator indexes (semantics: `filters.PARAMS`)
    expandable: tuple[str, ...] = ()  # `expand[]` fields unless `expandables` lists more
    deletable: bool = False  # deleted instances retrieve as {"id", "object", "deleted": true}
    has_created: bool = True  # lists accept `created` and rows partition by its month
    parent: str | None = None  # nested list: lines are listed per invoice
    created_field: str = "created"  # invoice items have `date`, which `created` filters


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "customers",
        "customer",
        "cus_",
        "/v1/customers",
        filters=("email",),
        expandable=("default_source",),
        deletable=True,
    ),
    Resource("products", "product", "prod_", "/v1/products", filters=("active",), deletable=True),
    Resource(
        "prices",
        "price",
        "price_",
        "/v1/prices",
        filters=("active", "product", "currency", "type"),
        expandable=("product",),
    ),
    Resource(
        "subscriptions",
        "subscription",
        "sub_",
        "/v1/subscriptions",
        filters=("customer", "status", "price"),
        expandable=("customer", "latest_invoice", "default_payment_method"),
    ),
    Resource(
        "invoices",
        "invoice",
        "in_",
        "/v1/invoices",
        filters=("customer", "status", "subscription"),
        expandable=("customer", "payments"),
    ),
    Resource(
        "invoice_line_items",
        "line_item",
        "il_",
        "/v1/invoices/{parent}/lines",
        has_created=False,
        parent="invoices",
    ),
    Resource(
        "invoice_payments",
        "invoice_payment",
        "inpay_",
        "/v1/invoice_payments",
        filters=("invoice", "status"),
        expandable=("invoice",),
    ),
    Resource(
        "invoiceitems",
        "invoiceitem",
        "ii_",
        "/v1/invoiceitems",
        filters=("customer", "invoice"),
        expandable=("customer", "invoice"),
        deletable=True,
        created_field="date",
    ),
    Resource(
        "charges",
        "charge",
        "ch_",
        "/v1/charges",
        filters=("customer", "payment_intent"),
        expandable=("balance_transaction", "customer"),
    ),
    Resource(
        "refunds",
        "refund",
        "re_",
        "/v1/refunds",
        filters=("charge", "payment_intent"),
        expandable=("balance_transaction", "charge"),
    ),
    Resource(
        "disputes",
        "dispute",
        "du_",
        "/v1/disputes",
        filters=("charge", "payment_intent"),
        expandable=("charge",),
    ),
    Resource(
        "payouts",
        "payout",
        "po_",
        "/v1/payouts",
        filters=("status", "arrival_date"),
        expandable=("balance_transaction",),
    ),
    Resource(
        "transfers",
        "transfer",
        "tr_",
        "/v1/transfers",
        filters=("destination", "transfer_group"),
        expandable=("balance_transaction",),
    ),
    Resource(
        "balance_transactions",
        "balance_transaction",
        "txn_",
        "/v1/balance_transactions",
        filters=("payout", "type", "source", "currency"),
        expandable=("source",),
    ),
    Resource(
        "application_fees",
        "application_fee",
        "fee_",
        "/v1/application_fees",
        filters=("charge",),
        expandable=("balance_transaction",),
    ),
    Resource("events", "event", "evt_", "/v1/events", filters=("type", "types")),
)

BY_NAME: dict[str, Resource] = {o.name: o for o in RESOURCES}
BY_OBJECT: dict[str, Resource] = {o.object: o for o in RESOURCES}
ZERO_DECIMAL_CURRENCIES: frozenset[str] = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
     "vuv", "xaf", "xof", "xpf"}
)  # fmt: skip
