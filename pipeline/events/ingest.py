"""Taking the landing folder into the warehouse: deliveries, refusals, torn lines.

Each landed delivery is read on its own: one that is not JSON or fails the
envelope check (written by an older receiver, or by hand) becomes a `receive`
exception and the others go on. Every distinct body of an event id is a row
of `events.event_deliveries`; the id gets its `events.events` row from the
first. Refusals and torn lines become `receive` exceptions. The read offsets
move in the same transaction, so no record is read twice and none is lost.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.events.exceptions import record_exception
from pipeline.events.schema import transaction
from pipeline.events.table import event_row, record_deliveries, record_events
from pipeline.events.webhooks.landing import body_digest, record_digest
from pipeline.raw.blanking import blank_text
from pipeline.raw.journal import TornLine, read_journal
from pipeline.raw.purge_register import PurgeRegister


@dataclass(frozen=True)
class IngestCounts:
    events: int
    rejections: int
    torn_lines: int
    deliveries: int = 0
    unreadable: int = 0


def received_time(record: Mapping[str, Any]) -> datetime:
    try:
        at = datetime.fromisoformat(record["received_at"])
    except (KeyError, TypeError, ValueError):
        return datetime.now(UTC)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def landed_rows(record: Mapping[str, Any], purged: frozenset[str] = frozenset()) -> tuple:
    """The event row and the delivery row of one landing record (or an exception),
    purged customers' personal data blanked."""
    body = record["body"]
    if not isinstance(body, str):
        raise TypeError("the landed body is not text")
    body = blank_text(body, purged) if purged else body
    row = event_row(body, "webhook", received_time(record))
    digest = record_digest(record)  # as the receiver indexed it (kept when purged)
    delivery = (row[0], digest or body_digest(json.loads(body)), "webhook", row[4], row[8], body)
    return row, delivery


def _record_unreadable(conn: duckdb.DuckDBPyConnection, record: Mapping, error: Exception) -> None:
    text = json.dumps(record, ensure_ascii=False, default=str)
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    event_id = record.get("event_id")
    record_exception(
        conn, "receive", f"landed delivery not taken in: {error}"[:500],
        event_id=event_id if isinstance(event_id, str) else None,
        error=error, payload=text[:4096], source_key=f"landed:{key}",
    )  # fmt: skip


def ingest_landing(conn: duckdb.DuckDBPyConnection, data_dir: Path) -> IngestCounts:
    """Load what landed since the last call: deliveries into events, refusals and torn
    lines into exceptions, and the new read offsets — all in one transaction."""
    landing = Path(data_dir) / "landing"
    offsets = {folder: read_offsets(conn, folder) for folder in ("webhooks", "rejections")}
    torn: list[TornLine] = []
    landed = list(read_journal(landing / "webhooks", torn, offsets["webhooks"]))
    refusals = list(read_journal(landing / "rejections", torn, offsets["rejections"]))
    purged = PurgeRegister(Path(data_dir)).customer_ids()  # a purge stays in force
    events, deliveries, unreadable = [], [], []
    for record in landed:
        try:
            row, delivery = landed_rows(record, purged)
        except Exception as error:  # one bad record fails alone
            unreadable.append((record, error))
            continue
        events.append(row)
        deliveries.append(delivery)
    with transaction(conn):
        inserted = record_events(conn, events)
        new_deliveries = record_deliveries(conn, deliveries)
        for record, error in unreadable:
            _record_unreadable(conn, record, error)
        for record in refusals:
            _record_rejection(conn, record)
        for line in torn:
            _record_torn(conn, line)
        for folder, files in offsets.items():
            save_offsets(conn, folder, files)
    return IngestCounts(inserted, len(refusals), len(torn), new_deliveries, len(unreadable))


def read_offsets(conn: duckdb.DuckDBPyConnection, folder: str) -> dict[str, int]:
    rows = conn.execute(
        "select file, bytes_read from events.landing_offsets where folder = ?", [folder]
    ).fetchall()
    return dict(rows)


def save_offsets(conn: duckdb.DuckDBPyConnection, folder: str, files: dict[str, int]) -> None:
    """Replace the offsets of these files: delete, then insert (in the caller's transaction)."""
    if files:
        conn.execute(
            "delete from events.landing_offsets where folder = ? and file in (select unnest(?))",
            [folder, list(files)],
        )
        conn.executemany(
            "insert into events.landing_offsets values (?, ?, ?)",
            [(folder, name, size) for name, size in files.items()],
        )


def _record_torn(conn: duckdb.DuckDBPyConnection, line: TornLine) -> None:
    name = f"{line.path.parent.name}/{line.path.name}"
    message = f"torn landing line skipped: {name} at byte {line.offset}"
    key = f"torn:{name}:{line.offset}"
    record_exception(conn, "receive", message, payload=line.text[:4096], source_key=key)


def _record_rejection(conn: duckdb.DuckDBPyConnection, record: Mapping[str, Any]) -> None:
    key = record.get("rejection_id")
    if not isinstance(key, str):
        key = hashlib.sha256(json.dumps(record, default=str).encode()).hexdigest()[:32]
    event_id = record.get("event_id")
    record_exception(
        conn,
        "receive",
        f"delivery refused: {record.get('reason')} ({record.get('detail')}); "
        f"{record.get('size')} bytes from {record.get('source_address')}"[:1000],
        event_id=event_id if isinstance(event_id, str) else None,
        payload=str(record.get("body_prefix"))[:4096],
        source_key=f"rejection:{key}",
        occurred_at=received_time(record),
    )
