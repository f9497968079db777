"""The shapes of the catalogue: a Stripe object, its child tables, its list defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.catalog.typed_fields import Fields


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
    event_types: tuple[str, ...] = ()  # event types whose `data.object` is one of these
    columns: tuple[Column, ...] = ()  # raw columns besides the common ones
    description: str = ""  # of its raw table; empty says "every Stripe <name> object"
    typed: Fields = field(default_factory=dict, hash=False)  # parsed at load into `obj`


def event_types(prefix: str, *actions: str) -> tuple[str, ...]:
    """Stripe event types of one object: `event_types("payout", "paid")` → `("payout.paid",)`."""
    return tuple(f"{prefix}.{action}" for action in actions)
