"""What to do with a page of objects: rows for their table, and their children.

Invoices bring their line items (embedded, or paged when `lines.has_more`);
automatic payouts bring the balance transactions they swept. Child lists send
their object's catalogue `list_params` too.
"""

from __future__ import annotations

import asyncio

import pyarrow as pa

from pipeline.catalog import BY_NAME, StripeObject
from pipeline.extract.listing import Lister, Objects, ObjectsHandler
from pipeline.extract.rows import RowContext, line_batch, page_batch, payout_transaction_batch
from pipeline.extract.sink import RowSink

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
        emit(lister, sink, listed.name, page_batch(listed.name, objects, ctx))
        if listed.name == "invoices":
            await asyncio.gather(*(invoice_lines(lister, sink, ctx, inv) for inv in objects))
        elif listed.name == "payouts":
            automatic = [p for p in objects if p.get("automatic")]
            await asyncio.gather(*(payout_transactions(lister, sink, ctx, p) for p in automatic))

    return on_objects


def emit(lister: Lister, sink: RowSink, table: str, batch: pa.RecordBatch) -> None:
    lister.stats.objects += batch.num_rows
    if batch.num_rows:
        sink.add(table, batch)


async def invoice_lines(lister: Lister, sink: RowSink, ctx: RowContext, invoice: dict) -> None:
    lines = invoice.get("lines") or {}
    embedded = lines.get("data") or []
    emit(lister, sink, "invoice_line_items", line_batch(embedded, invoice, ctx))
    if not lines.get("has_more"):
        return

    async def more(objects: Objects) -> None:
        emit(lister, sink, "invoice_line_items", line_batch(objects, invoice, ctx))

    after = embedded[-1]["id"] if embedded else None
    params = dict(BY_NAME["invoice_line_items"].list_params)
    await lister.all_pages(f"/v1/invoices/{invoice['id']}/lines", params, more, after)


async def payout_transactions(lister: Lister, sink: RowSink, ctx: RowContext, payout: dict) -> None:
    async def on_page(objects: Objects) -> None:
        batch = payout_transaction_batch(objects, payout, ctx)
        emit(lister, sink, "payout_balance_transactions", batch)

    params = {**dict(BY_NAME["balance_transactions"].list_params), "payout": payout["id"]}
    await lister.all_pages("/v1/balance_transactions", params, on_page)
