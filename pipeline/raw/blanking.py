"""Blank a purged customer's personal and card data wherever a payload holds it.

An object belongs to the customer when it is the customer or names it in its
`customer` field (charges, invoices, refunds, subscriptions, …); inside such an
object every personal field is blanked at any depth (billing details, card
details, shipping). Ids, amounts and links are kept: the financial chain stays.

`blank_text` works on JSON text: a payload that holds nothing of a purged
customer comes back as the very same string, so a purge rewrites only what it
must; what it rewrites keeps non-ASCII text as it was (`chloé`, not `\\u00e9`).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyarrow as pa

PERSONAL_FIELDS = frozenset({
    "email", "name", "phone", "address", "shipping", "description",
    "receipt_email", "customer_email", "customer_name", "customer_phone",
    "customer_address", "customer_shipping", "customer_tax_ids",
    "fingerprint", "last4", "brand", "exp_month", "exp_year", "dynamic_last4",
})  # fmt: skip


def _owner(value: Any) -> str | None:
    return value.get("id") if isinstance(value, dict) else value


def belongs_to(obj: dict, customer_ids: frozenset[str]) -> bool:
    if obj.get("object") == "customer" and obj.get("id") in customer_ids:
        return True
    return _owner(obj.get("customer")) in customer_ids


def _blank_all(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: None if k in PERSONAL_FIELDS else _blank_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank_all(item) for item in value]
    return value


def blank(value: Any, customer_ids: frozenset[str]) -> Any:
    """`value` with the personal fields of every object of a purged customer set to null."""
    if isinstance(value, dict):
        if belongs_to(value, customer_ids):
            return _blank_all(value)
        return {k: blank(v, customer_ids) for k, v in value.items()}
    if isinstance(value, list):
        return [blank(item, customer_ids) for item in value]
    return value


def quoted(customer_id: str) -> str:
    """The id as a JSON string token: `"cus_A"` does not match inside `"cus_AB"`."""
    return f'"{customer_id}"'


def mentions(payload: str, customer_ids: frozenset[str]) -> bool:
    """A cheap test before parsing: does the JSON text name any purged customer?"""
    return any(quoted(customer_id) in payload for customer_id in customer_ids)


def names(text: str, customer_ids: frozenset[str]) -> bool:
    """Whether any text (JSON inside JSON, a cut-off body) names a purged customer."""
    return any(
        re.search(rf"(?<![A-Za-z0-9_]){re.escape(c)}(?![A-Za-z0-9])", text) for c in customer_ids
    )


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII kept as is (as the raw layer and the landing files write it)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def blank_text(payload: str | None, customer_ids: frozenset[str]) -> str | None:
    """`payload` blanked; the same string when it holds nothing of those customers."""
    if not payload or not mentions(payload, customer_ids):
        return payload
    value = json.loads(payload)
    blanked = blank(value, customer_ids)
    return payload if blanked == value else dumps(blanked)


def blank_purged(table: pa.Table, purged: frozenset[str]) -> pa.Table:
    """The raw rows with purged customers' personal data blanked in `payload`."""
    payloads = table.column("payload").to_pylist()
    blanked = [blank_text(p, purged) for p in payloads]
    if all(new is old for new, old in zip(blanked, payloads, strict=True)):
        return table
    index = table.schema.get_field_index("payload")
    return table.set_column(index, table.schema.field(index), pa.array(blanked, pa.string()))
