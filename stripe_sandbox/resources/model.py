"""The shape of one resource the sandbox serves."""

from __future__ import annotations

from dataclasses import dataclass


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
