"""The one rule for which snapshot of an object wins: the newest. Pure.

A raw row's version is `(event_created, event_id)` for an event snapshot and
`(epoch(extracted_at), '')` for a listed row, compared in that order: the later
snapshot wins, and an event wins a tie with a list row of the same instant.
The terms are said once, in `VERSION_TERMS`; the SQL (`version_sql`,
`version_order_sql`) and the Python key (`version_key`) are both made from them.
dbt's `latest_per_id` macro writes the same terms in its own SQL, and
`tests/unit/test_snapshot_versions.py` holds the three to the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

VERSION_TERMS: tuple[tuple[str, str | None], ...] = (
    ("event_created", "extracted_at"),  # seconds: the event's, else when the row was listed
    ("event_id", None),  # then the event's id; '' for a listed row
)
"""`(column, fallback)`: the column, or when it is null the fallback timestamp's Unix
seconds (`epoch(...)` in SQL), or `''` when there is no fallback."""


def _term_sql(column: str, fallback: str | None) -> str:
    return f"coalesce({column}, {f'epoch({fallback})' if fallback else repr('')})"


def version_sql() -> str:
    """The version as a SQL row value, e.g. for `arg_max(rowid, <it>)`."""
    return "(" + ", ".join(_term_sql(c, f) for c, f in VERSION_TERMS) + ")"


def version_order_sql() -> str:
    """`order by` terms putting the newest snapshot first."""
    return ", ".join(f"{_term_sql(c, f)} desc" for c, f in VERSION_TERMS)


def _term_value(row: Mapping[str, Any], column: str, fallback: str | None) -> Any:
    value = row.get(column)
    if value is not None:
        return value
    return row[fallback].timestamp() if fallback else ""


def version_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """The version of a row (a mapping of raw columns); greater is newer."""
    return tuple(_term_value(row, c, f) for c, f in VERSION_TERMS)
