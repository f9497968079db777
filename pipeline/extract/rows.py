"""Raw rows from a page: parse once, keep each object's JSON text and a few columns.

The hot path builds one Arrow record batch per page, column by column
(`page_batch`); building Python dicts per row and converting them costs about
four times more. `raw_row` gives the same row as a dict, for callers off the
hot path. A catalogue child table names its row builder in `CHILD_ROWS`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import pyarrow as pa

from pipeline.catalog import raw_columns
from pipeline.extract.schema import raw_schema
from pipeline.extract.windows import created_of
from pipeline.months import month_of


@dataclass(frozen=True)
class RowContext:
    """What every row of one run shares."""

    account: str | None
    api_version: str
    extracted_at: datetime
    source: str = "list"


def raw_row(
    obj: Mapping[str, Any], ctx: RowContext, *, created: int | None = None, month: str | None = None
) -> dict[str, Any]:
    """One raw-layer row as a dict; `created`/`month` override the object's (invoice lines)."""
    created = created_of(obj) if created is None else created
    return {
        "id": obj["id"],
        "created": created,
        "month": month or month_of(created),
        "livemode": obj.get("livemode"),
        "account": ctx.account,
        "api_version": ctx.api_version,
        "extracted_at": ctx.extracted_at,
        "source": ctx.source,
        "is_deleted": bool(obj.get("deleted", False)),
        "event_id": None,
        "event_created": None,
        "payload": orjson.dumps(obj).decode(),
    }


@functools.lru_cache(maxsize=4096)
def _month_of_day(day: int) -> str:
    return month_of(day * 86400)


def page_batch(
    table: str,
    objects: Sequence[Mapping[str, Any]],
    ctx: RowContext,
    *,
    created: int | None = None,
    month: str | None = None,
    extra: Mapping[str, Sequence[Any]] | None = None,
) -> pa.RecordBatch:
    """The raw rows of one page; `created`/`month` override every object's."""
    n = len(objects)
    stamps = [created_of(o) for o in objects] if created is None else [created] * n

    def same(value: Any, type_: pa.DataType) -> pa.Array:
        return pa.nulls(n, type_) if value is None else pa.array([value] * n, type_)

    columns = {
        "id": pa.array([o["id"] for o in objects], pa.string()),
        "created": pa.array(stamps, pa.int64()),
        "month": same(month, pa.string())
        if month
        else pa.array([_month_of_day(c // 86400) for c in stamps], pa.string()),
        "livemode": pa.array([o.get("livemode") for o in objects], pa.bool_()),
        "account": same(ctx.account, pa.string()),
        "api_version": same(ctx.api_version, pa.string()),
        "extracted_at": same(ctx.extracted_at, pa.timestamp("us", tz="UTC")),
        "source": same(ctx.source, pa.string()),
        "is_deleted": pa.array([bool(o.get("deleted", False)) for o in objects], pa.bool_()),
        "event_id": pa.nulls(n, pa.string()),
        "event_created": pa.nulls(n, pa.int64()),
        "payload": pa.array([orjson.dumps(o) for o in objects], pa.binary()).cast(pa.string()),
    }
    schema = raw_schema(table)
    for name, values in (extra or {}).items():
        columns[name] = pa.array(values, schema.field(name).type)
    return pa.RecordBatch.from_arrays([columns[f.name] for f in schema], schema=schema)


def line_batch(
    lines: Sequence[Mapping[str, Any]],
    invoice: Mapping[str, Any],
    ctx: RowContext,
    table: str = "invoice_line_items",
) -> pa.RecordBatch:
    """Invoice line items carry their invoice's `created` (and so its month)."""
    return page_batch(table, lines, ctx, created=invoice["created"])


def payout_transaction_batch(
    transactions: Sequence[Mapping[str, Any]],
    payout: Mapping[str, Any],
    ctx: RowContext,
    table: str = "payout_balance_transactions",
) -> pa.RecordBatch:
    """Rows of `payout_balance_transactions`, partitioned by the payout's month."""
    return page_batch(
        table,
        transactions,
        ctx,
        month=month_of(payout["created"]),
        extra={
            "payout_id": [payout["id"]] * len(transactions),
            "balance_transaction_id": [t["id"] for t in transactions],
        },
    )


def parent_id_batch(
    objects: Sequence[Mapping[str, Any]], parent: Mapping[str, Any], ctx: RowContext, table: str
) -> pa.RecordBatch:
    """Children that name no parent (a session's line items): its id in the table's one
    extra column, its `created` and month."""
    ((column, _),) = raw_columns(table)
    ids = {column: [parent["id"]] * len(objects)}
    return page_batch(table, objects, ctx, created=parent["created"], extra=ids)


ChildRows = Callable[
    [Sequence[Mapping[str, Any]], Mapping[str, Any], RowContext, str], pa.RecordBatch
]
CHILD_ROWS: dict[str, ChildRows] = {
    "parent_created": line_batch,  # rows take their parent's `created` and month
    "payout_bridge": payout_transaction_batch,  # payout ↔ transaction pairs, payout's month
    "parent_id": parent_id_batch,  # parent's `created`, its id in the one extra column
}
"""Row builders by the key a catalogue `ChildTable.rows` names: (objects, parent, ctx, table)."""
