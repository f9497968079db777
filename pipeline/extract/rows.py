"""Raw rows from a page: parse once, keep each object's JSON text and a few columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from pipeline.extract.windows import month_of


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
    """One raw-layer row; `created`/`month` override the object's (invoice lines)."""
    if created is None:  # invoice items carry `date`, which their `created` filter reads
        created = obj["created"] if "created" in obj else obj["date"]
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


def list_rows(objects: Iterable[Mapping[str, Any]], ctx: RowContext) -> list[dict[str, Any]]:
    return [raw_row(obj, ctx) for obj in objects]


def line_rows(
    lines: Iterable[Mapping[str, Any]], invoice: Mapping[str, Any], ctx: RowContext
) -> list[dict[str, Any]]:
    """Invoice line items carry their invoice's `created` and month."""
    created = invoice["created"]
    return [raw_row(line, ctx, created=created, month=month_of(created)) for line in lines]


def payout_transaction_rows(
    transactions: Iterable[Mapping[str, Any]], payout: Mapping[str, Any], ctx: RowContext
) -> list[dict[str, Any]]:
    """Rows of `payout_balance_transactions`: partitioned by the payout's month."""
    month = month_of(payout["created"])
    rows = []
    for txn in transactions:
        row = raw_row(txn, ctx, month=month)
        row["payout_id"] = payout["id"]
        row["balance_transaction_id"] = txn["id"]
        rows.append(row)
    return rows
