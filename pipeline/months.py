"""Months of Stripe's `created`, in UTC: `YYYY-MM` text, bounds in Unix seconds, ranges.

The one month helper of the project: partitions, windows, cursors, settings and
schedules all count months here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime


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


def add_months(month: str, count: int) -> str:
    """`month` moved by `count` months (negative: earlier)."""
    year, mon = parse_month(month)
    index = year * 12 + mon - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_month(month: str) -> str:
    """The month before `month`."""
    return add_months(month, -1)
