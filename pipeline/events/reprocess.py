"""Running failed events again, chosen by ids, types or time of failure.

A failed event is one with status `received` and an open `validate`
exception (its lookup failed), `process_failed` or `handler_failed`. Forged
and unprovable events are verdicts, not failures: they are judged again only
when named by `ids` (Stripe is asked for them by id once more, and their
deliveries are held to its copy again). Each is sent back to the stage that
failed; when it ends `processed`, its open exceptions are marked resolved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from pipeline.events.exceptions import resolve_exceptions
from pipeline.events.fetch import StripeLookup
from pipeline.events.handlers import REGISTRY, HandlerRegistry
from pipeline.events.processing import process_pending
from pipeline.events.validate import validate_pending
from pipeline.raw.purge_register import PurgeRegister

FAILED = """
select e.id, e.status from events.events e
where (e.status in ('process_failed', 'handler_failed')
       or (e.status = 'received' and exists (
           select 1 from events.event_processing_exceptions x
           where x.event_id = e.id and x.stage = 'validate' and x.resolved_at is null)))
"""


def failed_events(
    conn: duckdb.DuckDBPyConnection,
    ids: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[str, str]]:
    """(id, status) of failed events matching every filter given."""
    sql, params = FAILED, []
    if ids is not None:
        sql += " and e.id in (select unnest(?))"
        params.append(list(ids))
    if types is not None:
        sql += " and e.type in (select unnest(?))"
        params.append(list(types))
    if since is not None or until is not None:
        sql += (
            " and exists (select 1 from events.event_processing_exceptions x "
            "where x.event_id = e.id and x.resolved_at is null "
            "and x.occurred_at >= coalesce(?, x.occurred_at) "
            "and x.occurred_at < coalesce(?, x.occurred_at + interval 1 second))"
        )
        params += [since, until]
    return conn.execute(sql + " order by e.created, e.id", params).fetchall()


def reopen_unproved(conn: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[str]:
    """Send the named `forged` / `not_found` events (and their deliveries) back to judging."""
    rows = conn.execute(
        "select id from events.events where status in ('forged', 'not_found') "
        "and id in (select unnest(?))",
        [list(ids)],
    ).fetchall()
    reopened = [r[0] for r in rows]
    if reopened:
        conn.execute(
            "update events.events set status = 'received', valid = null, "
            "validation_status = null where id in (select unnest(?))",
            [reopened],
        )
        conn.execute(
            "update events.event_deliveries set verdict = 'pending' "
            "where event_id in (select unnest(?))",
            [reopened],
        )
    return reopened


def reprocess(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    lookup: StripeLookup,
    *,
    ids: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    now: int | None = None,
    registry: HandlerRegistry = REGISTRY,
) -> Counter[str]:
    """Re-run the selected failed events; counts of their statuses afterwards."""
    reopened = reopen_unproved(conn, ids) if ids is not None else []
    selected = failed_events(conn, ids, types, since, until)
    if not selected and not reopened:
        return Counter()
    chosen = [event_id for event_id, _ in selected] + reopened
    back = {"process_failed": "validated", "handler_failed": "applied"}
    for event_id, status in selected:
        if status in back:
            conn.execute(
                "update events.events set status = ? where id = ?", [back[status], event_id]
            )
    purged = PurgeRegister(Path(raw_dir).parent).customer_ids()  # raw_dir is <data_dir>/raw
    validate_pending(conn, lookup, now, ids=chosen, purged=purged)
    process_pending(conn, raw_dir, lookup, registry)
    rows = conn.execute(
        "select id, status from events.events where id in (select unnest(?))", [chosen]
    ).fetchall()
    resolve_exceptions(conn, [i for i, status in rows if status == "processed"])
    return Counter(status for _, status in rows)
