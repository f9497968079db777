"""Blank purged customers in the event tables the receiver's deliveries feed.

`events.events` (the payload received and the one refetched), every distinct
delivered body (`events.event_deliveries`) and the exceptions that keep a
payload (`events.event_processing_exceptions`: a torn line, a refused body's
prefix, an unreadable landing record). A JSON payload is blanked field by
field (a landing record's body too); text that is not JSON (a torn line, a
cut-off body) and names the customer is dropped. Tables or columns an older
warehouse lacks are skipped.
"""

from __future__ import annotations

import json

import duckdb

from pipeline.purge.landing import blank_record
from pipeline.raw.blanking import blank_text, dumps, names

PAYLOAD_COLUMNS = (
    ("events", ("payload_received", "payload_refetched")),
    ("event_deliveries", ("payload",)),
    ("event_processing_exceptions", ("payload",)),
)


def blanked_or_dropped(text: str, purged: frozenset[str]) -> str | None:
    """The payload blanked: an event as JSON, a landing record's body, else dropped."""
    try:
        value = json.loads(text)
    except ValueError:
        return None if names(text, purged) else text  # a torn line, a cut-off body
    if isinstance(value, dict) and isinstance(value.get("body"), str):  # a landing record
        blanked = blank_record(value, purged)
        return text if blanked == value else dumps(blanked)
    return blank_text(text, purged)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {c for (c,) in con.execute(
        "select column_name from information_schema.columns"
        " where table_schema = 'events' and table_name = ?", [table]
    ).fetchall()}  # fmt: skip


def blank_event_tables(con: duckdb.DuckDBPyConnection, purged: frozenset[str]) -> int:
    """Rewrite every event-table payload naming a purged customer; the number changed."""
    changed = 0
    for table, columns in PAYLOAD_COLUMNS:
        present = _columns(con, table)
        for column in (c for c in columns if c in present):
            for customer_id in sorted(purged):
                rows = con.execute(
                    f"select rowid, {column} from events.{table} where contains({column}, ?)",
                    [customer_id],
                ).fetchall()
                for rowid, text in rows:
                    new = blanked_or_dropped(text, purged)
                    if new != text:
                        con.execute(
                            f"update events.{table} set {column} = ? where rowid = ?", [new, rowid]
                        )
                        changed += 1
    return changed
