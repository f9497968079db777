"""Customers other objects refer to that Stripe no longer lists: retrieved, kept as deleted.

Stripe's customer list leaves deleted customers out, while their charges, invoices and
subscriptions keep the id. Retrieving such an id answers a stub `{"id", "object",
"deleted": true}` ("Retrieve a customer" in Stripe's API reference: for a deleted
customer "a subset of the customer's information is returned, including a `deleted`
property that's set to true"; the SDK's `Customer.deleted` is "always true for a
deleted object"). Each stub becomes the customer's raw row (`source='retrieve'`,
`is_deleted`), so the reference resolves and the customer is known as deleted. An id
Stripe does not know (404) is left dangling and counted (`marts.dangling_references`).

A stub has no `created`: the row's `created` is that of the earliest object referring
to it (the customer existed by then), which also picks its month partition; staging
reports its `created_at` as unknown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import orjson
import pyarrow as pa

from pipeline.catalog import STRIPE_OBJECTS
from pipeline.extract.schema import raw_schema
from pipeline.months import month_of
from pipeline.raw.partition import Warehouse, write_partition
from pipeline.raw.warehouse import connected

SOURCE = "retrieve"
REFERRING_TABLES = tuple(
    o.name for o in STRIPE_OBJECTS if "customer" in (*o.filters, *o.expandable)
)
"""Raw tables whose objects carry a `customer` (a list filter or an expandable field)."""

_CUSTOMER_ID = """case json_type(payload, '$.customer')
    when 'VARCHAR' then payload ->> '$.customer'
    when 'OBJECT' then payload ->> '$.customer.id' end"""


class CustomerLookup(Protocol):
    def object(
        self, object_id: str, account: str | None, kind: str | None = None
    ) -> dict[str, Any] | None:
        """The object as Stripe has it now (a deleted stub when deleted), None when unknown."""


@dataclass(frozen=True)
class Reference:
    """A customer id referred to and not held: who holds it, and since when."""

    customer_id: str
    account: str | None
    first_created: int
    livemode: bool | None


@dataclass
class Resolution:
    """What retrieving the unheld customer ids found."""

    deleted: list[str] = field(default_factory=list)  # stored as deleted customers
    unknown: list[str] = field(default_factory=list)  # Stripe answered 404: still dangling
    live: list[str] = field(default_factory=list)  # not deleted: the next listing takes it


def unheld_references(warehouse: Warehouse) -> list[Reference]:
    """Customer ids the referring raw tables hold and `raw_stripe.customers` does not."""
    with connected(warehouse) as con:
        present = {
            name for (name,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'raw_stripe'"
            ).fetchall()
        }  # fmt: skip
        tables = [t for t in REFERRING_TABLES if t in present]
        if not tables:
            return []
        referring = " union all ".join(
            f"select account, created, livemode, {_CUSTOMER_ID} as customer_id from raw_stripe.{t}"
            for t in tables
        )
        held = (
            "select id from raw_stripe.customers"
            if "customers" in present
            else ("select null as id where false")
        )
        rows = con.execute(f"""
            select customer_id, any_value(account), min(created), any_value(livemode)
            from ({referring})
            where customer_id like 'cus\\_%' escape '\\'
              and customer_id not in ({held})
            group by customer_id
            order by customer_id
        """).fetchall()  # fmt: skip
    return [Reference(*row) for row in rows]


def tombstone_row(reference: Reference, stub: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The raw row of a customer Stripe answered as deleted."""
    return {
        "id": reference.customer_id,
        "created": reference.first_created,
        "month": month_of(reference.first_created),
        "livemode": stub.get("livemode", reference.livemode),
        "account": reference.account,
        "api_version": None,
        "extracted_at": now,
        "source": SOURCE,
        "is_deleted": True,
        "event_id": None,
        "event_created": None,
        "payload": orjson.dumps(stub).decode(),
    }


def resolve_deleted_customers(
    raw_dir: Path,
    warehouse: Warehouse,
    lookup: CustomerLookup,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Resolution:
    """Retrieve each unheld customer id; store the deleted ones as raw customer rows."""
    resolution, rows = Resolution(), defaultdict(list)
    for reference in unheld_references(warehouse):
        stub = lookup.object(reference.customer_id, reference.account, "customer")
        if stub is None:
            resolution.unknown.append(reference.customer_id)
        elif stub.get("deleted") is True:
            resolution.deleted.append(reference.customer_id)
            row = tombstone_row(reference, stub, now())
            rows[row["month"]].append(row)
        else:
            resolution.live.append(reference.customer_id)
    for month, group in sorted(rows.items()):
        table = pa.Table.from_pylist(group, schema=raw_schema("customers"))
        write_partition(raw_dir, warehouse, "customers", month, table, mode="upsert")
    return resolution
