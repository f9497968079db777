"""What to do with a page of objects: rows for their table, and their children.

Each catalogue `ChildTable` of the listed object is listed per qualifying
parent: invoices bring their line items (embedded, or paged when
`lines.has_more`), automatic payouts the balance transactions they swept.
Child lists send their listed object's catalogue `list_params` too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from pipeline.catalog import ChildTable, StripeObject, listed_object, object_named, tables_for
from pipeline.extract.listing import Lister, Objects, ObjectsHandler
from pipeline.extract.rows import CHILD_ROWS, RowContext, page_batch
from pipeline.extract.sink import RowSink

__all__ = ["child_request", "handler_for", "listed_object", "tables_for"]


def child_request(
    child: ChildTable, parent: Mapping[str, Any]
) -> tuple[str, dict[str, str]] | None:
    """The path and params listing `child`'s rows of one `parent`; None if it has none."""
    if child.only_if and not parent.get(child.only_if):
        return None
    listed = object_named(child.lists)
    params = dict(listed.list_params) if listed else {}
    if child.parent_param:
        params[child.parent_param] = parent["id"]
    return child.path.format(parent=parent["id"]), params


def handler_for(
    obj: StripeObject, lister: Lister, ctx: RowContext, sink: RowSink
) -> ObjectsHandler:
    listed = listed_object(obj)

    async def on_objects(objects: Objects) -> None:
        emit(lister, sink, listed.name, page_batch(listed.name, objects, ctx))
        await asyncio.gather(
            *(
                list_child(lister, sink, ctx, child, parent)
                for child in listed.children
                for parent in objects
            )
        )

    return on_objects


def emit(lister: Lister, sink: RowSink, table: str, batch: pa.RecordBatch) -> None:
    lister.stats.objects += batch.num_rows
    if batch.num_rows:
        sink.add(table, batch)


async def list_child(
    lister: Lister, sink: RowSink, ctx: RowContext, child: ChildTable, parent: dict
) -> None:
    """`child`'s rows of one parent: its embedded first page, then every page listed."""
    request = child_request(child, parent)
    if request is None:
        return
    build = CHILD_ROWS[child.rows]

    async def on_page(objects: Objects) -> None:
        emit(lister, sink, child.name, build(objects, parent, ctx, child.name))

    after = None
    if child.embedded:
        page = parent.get(child.embedded) or {}
        embedded = page.get("data") or []
        await on_page(embedded)
        if not page.get("has_more"):
            return
        after = embedded[-1]["id"] if embedded else None
    path, params = request
    await lister.all_pages(path, params, on_page, after)
