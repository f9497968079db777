"""Months and `created` windows, in Unix seconds, UTC; windows are [gte, lt)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any


def created_of(obj: Mapping[str, Any]) -> int:
    """`created`, or `date` for objects that carry that instead (invoice items)."""
    created = obj.get("created")
    return obj["date"] if created is None else created


def month_of(created: int) -> str:
    """`YYYY-MM` of a Unix timestamp, in UTC."""
    return datetime.fromtimestamp(created, UTC).strftime("%Y-%m")


MONTH_TEXT = re.compile(r"(\d{4})-(\d{2})(?:-\d{2})?")


def parse_month(month: str) -> tuple[int, int]:
    """`(year, month)` of `YYYY-MM` (or `YYYY-MM-DD`); a ValueError for anything else,
    a month outside 01–12 included (month 13 must never be counted up to)."""
    match = MONTH_TEXT.fullmatch(str(month).strip())
    if not match:
        raise ValueError(f"{month!r} is not a month: use YYYY-MM, e.g. 2024-01")
    year, mon = int(match[1]), int(match[2])
    if not 1 <= mon <= 12 or year < 1970:
        raise ValueError(f"{month!r} is not a month: the month is 01–12, the year 1970 or later")
    return year, mon


def _next_month(year: int, mon: int) -> tuple[int, int]:
    return (year + 1, 1) if mon == 12 else (year, mon + 1)


def month_bounds(month: str) -> tuple[int, int]:
    """First second of the month and first second of the next one."""
    year, mon = parse_month(month)
    start = datetime(year, mon, 1, tzinfo=UTC)
    end = datetime(*_next_month(year, mon), 1, tzinfo=UTC)
    return int(start.timestamp()), int(end.timestamp())


def months_between(start: str, end: str) -> list[str]:
    """Every `YYYY-MM` from `start` to `end`, both included (also takes `YYYY-MM-DD`)."""
    year, mon = parse_month(start)
    last = parse_month(end)
    months = []
    while (year, mon) <= last:
        months.append(f"{year:04d}-{mon:02d}")
        year, mon = _next_month(year, mon)
    return months


def split_window(gte: int, lt: int, parts: int) -> list[tuple[int, int]]:
    """Split [gte, lt) into at most `parts` contiguous windows that cover it exactly."""
    parts = max(1, min(parts, lt - gte))
    edges = [gte + (lt - gte) * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in pairwise(edges) if a < b]


def rest_pages(pages_seen: float, gte: int, oldest: int, lt: int) -> float:
    """Pages left in [gte, oldest], if they are as dense as the pages seen over [oldest, lt)."""
    return pages_seen * (oldest + 1 - gte) / max(1, lt - oldest)
