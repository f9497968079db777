"""The Stripe objects this project knows, said once, as data.

The sandbox serves them, the extractor lists them and dbt stages them; each
loops over this table instead of repeating a function per object.
"""

from __future__ import annotations

from dataclasses import dataclass

API_VERSION = "2026-10-28.endive"
"""The API version the pinned `stripe` SDK (16.1.0) sends by default."""


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


STRIPE_OBJECTS: tuple[StripeObject, ...] = (
    StripeObject(
        "customers",
        "customer",
        "cus_",
        "/v1/customers",
        filters=("email",),
        expandable=("default_source",),
        deletable=True,
    ),
    StripeObject(
        "products", "product", "prod_", "/v1/products", filters=("active",), deletable=True
    ),
    StripeObject(
        "prices",
        "price",
        "price_",
        "/v1/prices",
        filters=("active", "product", "currency", "type"),
        expandable=("product",),
    ),
    StripeObject(
        "subscriptions",
        "subscription",
        "sub_",
        "/v1/subscriptions",
        filters=("customer", "status", "price"),
        expandable=("customer", "latest_invoice", "default_payment_method"),
    ),
    StripeObject(
        "invoices",
        "invoice",
        "in_",
        "/v1/invoices",
        filters=("customer", "status", "subscription"),
        expandable=("customer", "payments"),
    ),
    StripeObject(
        "invoice_line_items",
        "line_item",
        "il_",
        "/v1/invoices/{parent}/lines",
        has_created=False,
        parent="invoices",
    ),
    StripeObject(
        "invoice_payments",
        "invoice_payment",
        "inpay_",
        "/v1/invoice_payments",
        filters=("invoice", "status"),
        expandable=("invoice",),
    ),
    StripeObject(
        "invoiceitems",
        "invoiceitem",
        "ii_",
        "/v1/invoiceitems",
        filters=("customer", "invoice"),
        expandable=("customer", "invoice"),
        deletable=True,
        created_field="date",
    ),
    StripeObject(
        "charges",
        "charge",
        "ch_",
        "/v1/charges",
        filters=("customer", "payment_intent"),
        expandable=("balance_transaction", "customer"),
    ),
    StripeObject(
        "refunds",
        "refund",
        "re_",
        "/v1/refunds",
        filters=("charge", "payment_intent"),
        expandable=("balance_transaction", "charge"),
    ),
    StripeObject(
        "disputes",
        "dispute",
        "du_",
        "/v1/disputes",
        filters=("charge", "payment_intent"),
        expandable=("charge",),
    ),
    StripeObject(
        "payouts",
        "payout",
        "po_",
        "/v1/payouts",
        filters=("status", "arrival_date"),
        expandable=("balance_transaction",),
    ),
    StripeObject(
        "transfers",
        "transfer",
        "tr_",
        "/v1/transfers",
        filters=("destination", "transfer_group"),
        expandable=("balance_transaction",),
    ),
    StripeObject(
        "balance_transactions",
        "balance_transaction",
        "txn_",
        "/v1/balance_transactions",
        filters=("payout", "type", "source", "currency"),
        expandable=("source",),
    ),
    StripeObject("events", "event", "evt_", "/v1/events", filters=("type", "types")),
)

BY_NAME: dict[str, StripeObject] = {o.name: o for o in STRIPE_OBJECTS}
BY_OBJECT: dict[str, StripeObject] = {o.object: o for o in STRIPE_OBJECTS}
ZERO_DECIMAL_CURRENCIES: frozenset[str] = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
     "vuv", "xaf", "xof", "xpf"}
)  # fmt: skip


def object_for_id(object_id: str) -> StripeObject | None:
    """The resource an id belongs to, by its prefix (`ch_…` → charges)."""
    for obj in STRIPE_OBJECTS:
        if object_id.startswith(obj.id_prefix):
            return obj
    return None
