"""Event snapshots as raw rows, the newest per id kept. Pure.

Each event carries its object as it was (`data.object`); that snapshot becomes
a row (`source='event'`) in the object's raw table, in the partition of the
object's own `created` month. The newest snapshot wins by `pipeline.raw.versions`,
whatever order events arrive in. `*.deleted` events mark the row `is_deleted`;
rows are never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import orjson

from pipeline.catalog import BY_OBJECT
from pipeline.extract.windows import created_of
from pipeline.months import month_of
from pipeline.raw.versions import version_key

Row = dict[str, Any]


def table_of(obj: Mapping[str, Any]) -> str | None:
    """Raw table of a snapshot, or None when it has none (unknown type, no `created`)."""
    spec = BY_OBJECT.get(obj.get("object", ""))
    if spec is None or not spec.has_created or spec.name == "events":
        return None
    if obj.get("created") is None and obj.get("date") is None:
        return None
    return spec.name


def snapshot_row(event: Mapping[str, Any], extracted_at: datetime) -> Row | None:
    obj = event["data"]["object"]
    table = table_of(obj)
    if table is None:
        return None
    deleted = event["type"].endswith(".deleted") or bool(obj.get("deleted"))
    created = created_of(obj)
    return {
        "table": table,
        "id": obj["id"],
        "created": created,
        "month": month_of(created),
        "livemode": obj.get("livemode", event.get("livemode")),
        "account": event.get("account"),
        "api_version": event.get("api_version"),
        "extracted_at": extracted_at,
        "source": "event",
        "is_deleted": deleted,
        "event_id": event["id"],
        "event_created": event["created"],
        "payload": orjson.dumps(obj).decode(),
    }


def snapshot_rows(events: Iterable[Mapping[str, Any]], extracted_at: datetime) -> list[Row]:
    """One row per event whose object has a raw table (`row['table']` names it)."""
    rows = (snapshot_row(event, extracted_at) for event in events)
    return [row for row in rows if row is not None]


def latest_rows(rows: Iterable[Row]) -> list[Row]:
    """Per (table, id) the row with the greatest version; earlier rows win ties."""
    latest: dict[tuple[str | None, str], Row] = {}
    for row in rows:
        key = (row.get("table"), row["id"])
        if key not in latest or version_key(row) > version_key(latest[key]):
            latest[key] = row
    return list(latest.values())
