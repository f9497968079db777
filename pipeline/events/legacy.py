"""Warehouses from before deliveries were kept apart: their rows, judged again by id.

Earlier, the first body to arrive for an event id was the event, so a forgery
that reused a real id could leave the genuine event `forged` (Stripe had the
id but the body differed). Once, when `events.event_deliveries` is new, every
webhook event's stored body becomes its delivery, and events judged `forged`
although Stripe had their id go back to `received`, to be judged by Stripe's
copy like any other.
"""

from __future__ import annotations

import json

import duckdb

from pipeline.events.webhooks.landing import body_digest

INSERT_NEW = """
insert into events.event_deliveries (event_id, digest, source, account, received_at, payload)
select * from (values (?, ?, ?, ?, ?, ?))
    as incoming (event_id, digest, source, account, received_at, payload)
where not exists (
    select 1 from events.event_deliveries as stored
    where stored.event_id = incoming.event_id and stored.digest = incoming.digest
)
"""


def adopt_legacy_events(conn: duckdb.DuckDBPyConnection) -> int:
    """Give earlier webhook events their delivery rows and re-open wrongly forged ones."""
    rows = conn.execute(
        "select id, account, received_at, payload_received from events.events "
        "where source = 'webhook'"
    ).fetchall()
    deliveries = []
    for event_id, account, received_at, payload in rows:
        try:
            digest = body_digest(json.loads(payload))
        except (ValueError, TypeError, AttributeError, RecursionError):
            continue
        deliveries.append((event_id, digest, "webhook", account, received_at, payload))
    conn.executemany(INSERT_NEW, deliveries)  # one by one: the first of a key wins
    conn.execute(
        "update events.events set status = 'received', valid = null, validation_status = null, "
        "differing_fields = null, payload_refetched = null, validated_at = null "
        "where status = 'forged' and payload_refetched is not null"
    )
    return len(deliveries)
