"""How a served object matches a list parameter, as Stripe's docstrings say it.

By default a parameter `x` filters on the object's field `x` and `a[b]` on
`a.b`; `RULES` names the parameters Stripe documents otherwise (an item's
price, the minimum item period end, "pending" = not on an invoice, ...).
Written from the SDK docstrings, not from the sandbox, so the two can
disagree. Paths walk lists: `items.data.price.id` is any item's price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    path: str  # dotted path in the object; lists on the way are walked
    test: str = "equal"  # equal | is_null | is_zero | payout (balance transactions paid out)
    aggregate: str = ""  # min | max over the values found, for ranges
    wildcard: bool = False  # values may end in `*`: `invoice.*` is every `invoice.` type


RULES: dict[str, Rule] = {  # "<endpoint> <param>"
    "/v1/products ids": Rule("id"),
    "/v1/prices lookup_keys": Rule("lookup_key"),
    "/v1/events type": Rule("type", wildcard=True),
    "/v1/events types": Rule("type"),
    "/v1/events delivery_success": Rule("pending_webhooks", "is_zero"),
    "/v1/subscriptions price": Rule("items.data.price.id"),
    "/v1/subscriptions plan": Rule("items.data.plan.id"),
    "/v1/subscriptions current_period_end": Rule("items.data.current_period_end", aggregate="min"),
    "/v1/subscriptions current_period_start": Rule(
        "items.data.current_period_start", aggregate="max"
    ),
    "/v1/invoices subscription": Rule("parent.subscription_details.subscription"),
    "/v1/invoiceitems pending": Rule("invoice", "is_null"),
    "/v1/invoiceitems created": Rule("date"),
    "/v1/balance_transactions payout": Rule("", "payout"),
    "/v1/promotion_codes coupon": Rule("promotion.coupon"),
}

UNIVERSE: dict[str, dict[str, str]] = {"/v1/subscriptions": {"status": "all"}}
"""Parameters that list every object of an endpoint whose default hides some."""

DEFAULT_HIDES: dict[str, tuple[str, str]] = {"/v1/subscriptions": ("status", "canceled")}
"""Without the parameter, objects whose field has this value are not listed."""

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "/v1/subscriptions status": {"all": (), "ended": ("canceled", "incomplete_expired")},
}
"""Enum values that name a set of field values (() = every object)."""


def rule_for(endpoint: str, param: str) -> Rule:
    if found := RULES.get(f"{endpoint} {param}"):
        return found
    return Rule(re.sub(r"\[(\w+)\]", r".\1", param))


def values_at(node: object, path: str) -> list:
    """Every value at a dotted path; lists (and `{"data": [...]}` lists) are walked."""
    found = [node]
    for key in path.split(".") if path else []:
        step = []
        for value in found:
            items = value if isinstance(value, list) else [value]
            step += [item[key] for item in items if isinstance(item, dict) and key in item]
        found = step
    flat = []
    for value in found:
        flat += value if isinstance(value, list) else [value]
    return flat


def as_query(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def matches(obj: dict, rule: Rule, wanted: tuple[str, ...]) -> bool:
    """Does `obj` match any of the wanted values (query strings) under `rule`?"""
    values = values_at(obj, rule.path)
    if rule.test == "is_null":
        return (not values or values == [None]) == (wanted[0] == "true")
    if rule.test == "is_zero":
        return (values == [0]) == (wanted[0] == "true")
    return any(as_query(v) in wanted or _wildcard(v, wanted) for v in values if v is not None)


def _wildcard(value: object, wanted: tuple[str, ...]) -> bool:
    return any(w.endswith("*") and str(value).startswith(w[:-1]) for w in wanted)


def number_at(obj: dict, rule: Rule) -> int | None:
    values = [v for v in values_at(obj, rule.path) if isinstance(v, int)]
    if not values:
        return None
    return {"min": min, "max": max}.get(rule.aggregate, lambda v: v[0])(values)


def hidden_by_default(endpoint: str, param: str, obj: dict) -> bool:
    hides = DEFAULT_HIDES.get(endpoint)
    return hides is not None and hides[0] != param and obj.get(hides[0]) == hides[1]
