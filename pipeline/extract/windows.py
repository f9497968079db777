"""`created` windows, in Unix seconds, UTC; windows are [gte, lt)."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any


def created_of(obj: Mapping[str, Any]) -> int:
    """`created`, or `date` for objects that carry that instead (invoice items)."""
    created = obj.get("created")
    return obj["date"] if created is None else created


def split_window(gte: int, lt: int, parts: int) -> list[tuple[int, int]]:
    """Split [gte, lt) into at most `parts` contiguous windows that cover it exactly."""
    parts = max(1, min(parts, lt - gte))
    edges = [gte + (lt - gte) * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in pairwise(edges) if a < b]


def rest_pages(pages_seen: float, gte: int, oldest: int, lt: int) -> float:
    """Pages left in [gte, oldest], if they are as dense as the pages seen over [oldest, lt)."""
    return pages_seen * (oldest + 1 - gte) / max(1, lt - oldest)
