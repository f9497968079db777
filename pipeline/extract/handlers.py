"""What to do with a page of objects: rows for their table, and their children.

Invoices bring their line items (embedded, or paged when `lines.has_more`);
automatic payouts bring the balance transactions they swept.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pipeline.extract.listing import Lister, Objects, ObjectsHandler
from pipeline.extract.rows import RowContext, line_rows, list_rows, payout_transaction_rows
from pipeline.extract.sink import RowSink
from pipeline.stripe_objects import BY_NAME, StripeObject

CHILD_TABLES = {
    "invoices": ("invoice_line_items",),
    "payouts": ("payout_balance_transactions",),
}


def listed_object(obj: StripeObject) -> StripeObject:
    """The object whose list yields `obj`'s rows (invoice lines come with invoices)."""
    return BY_NAME[obj.parent] if obj.parent else obj


def tables_for(obj: StripeObject) -> tuple[str, ...]:
    """Raw tables written when `obj` is extracted."""
    listed = listed_object(obj)
    return (listed.name, *CHILD_TABLES.get(listed.name, ()))


def handler_for(
    obj: StripeObject, lister: Lister, ctx: RowContext, sink: RowSink
) -> ObjectsHandler:
    listed = listed_object(obj)

    async def on_objects(objects: Objects) -> None:
        emit(lister, sink, listed.name, list_rows(objects, ctx))
        if listed.name == "invoices":
            await asyncio.gather(*(invoice_lines(lister, sink, ctx, inv) for inv in objects))
        elif listed.name == "payouts":
            automatic = [p for p in objects if p.get("automatic")]
            await asyncio.gather(*(payout_transactions(lister, sink, ctx, p) for p in automatic))

    return on_objects


def emit(lister: Lister, sink: RowSink, table: str, rows: list[dict[str, Any]]) -> None:
    lister.stats.objects += len(rows)
    if rows:
        sink.add(table, rows)


async def invoice_lines(lister: Lister, sink: RowSink, ctx: RowContext, invoice: dict) -> None:
    lines = invoice.get("lines") or {}
    embedded = lines.get("data") or []
    emit(lister, sink, "invoice_line_items", line_rows(embedded, invoice, ctx))
    if not lines.get("has_more"):
        return

    async def more(objects: Objects) -> None:
        emit(lister, sink, "invoice_line_items", line_rows(objects, invoice, ctx))

    after = embedded[-1]["id"] if embedded else None
    await lister.all_pages(f"/v1/invoices/{invoice['id']}/lines", {}, more, after)


async def payout_transactions(lister: Lister, sink: RowSink, ctx: RowContext, payout: dict) -> None:
    async def on_page(objects: Objects) -> None:
        rows = payout_transaction_rows(objects, payout, ctx)
        emit(lister, sink, "payout_balance_transactions", rows)

    await lister.all_pages("/v1/balance_transactions", {"payout": payout["id"]}, on_page)
