"""Validating what waits in `events.events`: new events and new deliveries of known ones.

An event waits while its status is `received` (or it is not yet proved and a
new delivery of its id arrived); an event that holds Stripe's copy waits
only to have new deliveries judged (`pipeline.events.judging`). Verdicts
are written a chunk at a time, each chunk in one transaction.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import duckdb

from pipeline.events.authenticity import Verdict
from pipeline.events.exceptions import record_exception
from pipeline.events.fetch import StripeLookup
from pipeline.events.judging import Judgement, Waiting, judge
from pipeline.events.purged import purge_aware
from pipeline.events.schema import transaction
from pipeline.events.table import event_columns

CHUNK = 200
WAITING = """
select e.id, e.source, e.created, e.account, e.payload_received,
    case when e.valid then e.payload_refetched end,
    list({'digest': d.digest, 'account': d.account, 'payload': d.payload}
         order by d.received_at, d.digest) filter (where d.digest is not null)
from events.events e
left join events.event_deliveries d on d.event_id = e.id and d.verdict = 'pending'
where e.status = 'received' or d.event_id is not null
group by e.id, e.source, e.created, e.account, e.payload_received, e.payload_refetched, e.valid
order by e.created, e.id
"""
COPY_COLUMNS = "type, created, api_version, account, livemode, request_id, object_id"


def waiting_events(conn: duckdb.DuckDBPyConnection) -> list[Waiting]:
    """Events with something to judge, oldest first."""
    waiting = []
    for *head, copy, deliveries in conn.execute(WAITING).fetchall():
        pending = tuple((d["digest"], d["account"], d["payload"]) for d in deliveries or ())
        waiting.append(Waiting(*head, stripe_copy=copy, deliveries=pending))
    return waiting


def save_verdict(
    conn: duckdb.DuckDBPyConnection, event_id: str, verdict: Verdict, genuine: str | None
) -> None:
    """The event's verdict; with Stripe's copy, its columns become the copy's."""
    status = "validated" if verdict.valid else verdict.status
    copy = verdict.refetched
    conn.execute(
        "update events.events set valid = ?, validation_status = ?, differing_fields = ?, "
        "payload_refetched = ?, validated_at = ?, status = ? where id = ?",
        [verdict.valid, verdict.status, list(verdict.differing_fields),
         json.dumps(copy) if copy is not None else None, datetime.now(UTC), status, event_id],
    )  # fmt: skip
    if copy is not None:
        assignments = ", ".join(f"{c} = ?" for c in COPY_COLUMNS.split(", "))
        conn.execute(
            f"update events.events set {assignments}, "
            "payload_received = coalesce(?, payload_received) where id = ?",
            [*event_columns(copy), genuine, event_id],
        )


def save_judgement(conn: duckdb.DuckDBPyConnection, waiting: Waiting, judgement: Judgement):
    """Store the verdicts; each delivery not genuine is an exception row. Count keys."""
    keys = []
    if judgement.verdict is not None:
        save_verdict(conn, waiting.event_id, judgement.verdict, judgement.genuine_payload(waiting))
        keys.append(judgement.verdict.status)
    payloads = {digest: payload for digest, _, payload in waiting.deliveries}
    for digest, verdict, fields in judgement.deliveries:
        conn.execute(
            "update events.event_deliveries set verdict = ?, differing_fields = ?, "
            "judged_at = ? where event_id = ? and digest = ?",
            [verdict, list(fields), datetime.now(UTC), waiting.event_id, digest],
        )
        key = f"delivery:{waiting.event_id}:{digest}"
        if verdict == "genuine":  # judged again (reprocess) and proved: no longer a failure
            conn.execute(
                "update events.event_processing_exceptions set resolved_at = ? "
                "where source_key = ? and resolved_at is null",
                [datetime.now(UTC), key],
            )
        else:
            keys.append(f"{verdict}_delivery")
            message = f"delivery {verdict}; differing fields: {', '.join(fields) or '-'}"
            record_exception(
                conn, "validate", message, event_id=waiting.event_id,
                payload=payloads[digest], source_key=key,
            )  # fmt: skip
    verdict = judgement.verdict
    if verdict is not None and not verdict.valid and not judgement.deliveries:
        message = f"event {verdict.status}; differing fields: {', '.join(verdict.differing_fields)}"
        record_exception(conn, "validate", message, event_id=waiting.event_id)
    return keys


def attempt(waiting: Waiting, lookup: StripeLookup, clock: int) -> Judgement | Exception:
    """The judgement, or the error that kept us from reaching one."""
    try:
        return judge(waiting, lookup, clock)
    except Exception as error:  # every failure becomes a row
        return error


def save_outcome(conn, waiting: Waiting, outcome: Judgement | Exception) -> list[str]:
    if isinstance(outcome, Exception):
        record_exception(
            conn, "validate", str(outcome)[:1000], event_id=waiting.event_id, error=outcome,
            payload=waiting.payload_received,
        )  # fmt: skip
        return ["error"]
    return save_judgement(conn, waiting, outcome)


def validate_pending(
    conn: duckdb.DuckDBPyConnection,
    lookup: StripeLookup,
    now: int | None = None,
    ids: Sequence[str] | None = None,
    workers: int = 4,
    purged: frozenset[str] = frozenset(),
) -> Counter[str]:
    """Judge what waits (or only `ids`); counts per verdict, `error` for failures.

    Stripe's copies are blanked for the `purged` customers before they are
    compared with the (blanked) deliveries and stored.

    A failed lookup (network, 5xx) leaves the event and its deliveries waiting,
    with a `validate` exception row, so the next run tries again. Lookups run
    on `workers` threads (up to two retrieves per event; keep it under the
    account's rate limit).
    """
    clock = int(time.time()) if now is None else now
    lookup = purge_aware(lookup, purged)
    counts: Counter[str] = Counter()
    wanted = None if ids is None else set(ids)
    pending = [w for w in waiting_events(conn) if wanted is None or w.event_id in wanted]
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(lambda w: attempt(w, lookup, clock), chunk))
        with transaction(conn):
            for waiting, outcome in zip(chunk, outcomes, strict=True):
                counts.update(save_outcome(conn, waiting, outcome))
    return counts
