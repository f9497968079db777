"""Keep old objects current: list new events since the cursor, re-list when it is too old.

Stripe lists have no `updated` filter, so a change to an object created months
ago is only visible as an event. The cursor is the newest event already taken
into `events.events` whose `created` is Stripe's (listed, or validated by
Stripe's copy), else, on a warehouse that took in none yet, the newest event the
raw extraction listed (`raw_stripe.events`), as (created, id): a forged delivery
claiming a far-future `created` cannot move it. Events are listed again from a few
seconds before it (events sharing its second are not missed; ids dedupe). When
the cursor is older than the events API's 30-day reach, events have been lost
and any month may have changed: every month is listed again first, and the
caller is told so instead of silently missing updates. No Dagster here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.extract import StripeHttp
from pipeline.months import month_of, months_between
from pipeline.raw import EventCursor, plan_event_sync
from pipeline.raw.loader import extract_to_raw, raw_tables
from pipeline.raw.warehouse import open_warehouse


@dataclass(frozen=True)
class EventSyncResult:
    cursor: EventCursor | None
    event_months: tuple[str, ...]
    relisted_months: tuple[str, ...]
    events_listed: int


TRUSTED_EVENTS = {
    ("events", "events"): "source = 'list' or valid",
    ("raw_stripe", "events"): "source = 'list'",
}
"""Where a cursor may come from, first found first: events taken in (listed, or validated
by Stripe's copy), else events the raw extraction listed from Stripe (a warehouse whose
events were never processed yet: its first run need not list every month again)."""


def event_cursor(warehouse: Path) -> EventCursor | None:
    """The newest event taken in or listed so far, or None on a new warehouse."""
    with open_warehouse(warehouse) as con:
        present = set(
            con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        )
        for (schema, table), trusted in TRUSTED_EVENTS.items():
            if (schema, table) not in present:
                continue
            row = con.execute(
                f"select created, id from {schema}.{table} where {trusted} "
                "order by created desc, id desc limit 1"
            ).fetchone()
            if row:
                return EventCursor(*row)
    return None


async def sync_events(
    config: StripeHttp, raw_dir: Path, warehouse: Path, first_month: str, now: int
) -> EventSyncResult:
    """List the events the cursor has not seen; re-list every month first if it is stale."""
    cursor = event_cursor(warehouse)
    plan = plan_event_sync(cursor, now, first_month)
    if plan.needs_relist:
        await extract_to_raw(config, raw_tables(), list(plan.relist_months), raw_dir, warehouse)
    months = tuple(months_between(month_of(plan.created_gte), month_of(now)))
    results = await extract_to_raw(config, ["events"], list(months), raw_dir, warehouse)
    return EventSyncResult(cursor, months, plan.relist_months, results["events"].rows)
