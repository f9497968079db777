"""Paging a list endpoint: sequentially with `starting_after`, or by `created` windows.

`created_window` pages [gte, lt) newest first. After each page it estimates,
from the time the pages so far covered, how many pages remain in
[gte, oldest second seen]; when that is more than `pages_per_window`, or the
rate budget has idle room (see `Demand`), it cuts the rest into windows listed
concurrently, each doing the same. The newest of them holds the oldest second
seen and continues after the cursor there; windows are [gte, lt), so every
object is read exactly once.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from pipeline.extract.client import StripeSession
from pipeline.extract.limiter import endpoint_of
from pipeline.extract.stats import ExtractStats
from pipeline.extract.windows import rest_pages, split_window

Objects = list[dict[str, Any]]
ObjectsHandler = Callable[[Objects], Awaitable[None]]


@dataclass(frozen=True)
class SplitPolicy:
    """When to cut the rest of a window: it holds more than `pages_per_window` pages,
    or the rate budget is idle and each new window would still get a few pages
    (every window ends on a partial page, so many small windows waste requests)."""

    pages_per_window: int = 32
    max_windows: int = 8  # at most this many windows per split (splits nest)
    min_pages_per_window: int = 4  # when splitting only to use idle budget


class Lister:
    """Lists pages through one session, counting into one `ExtractStats`."""

    def __init__(
        self, session: StripeSession, stats: ExtractStats, split: SplitPolicy | None = None
    ) -> None:
        self.session = session
        self.stats = stats
        self.split = split or SplitPolicy()

    async def page(
        self, path: str, params: Mapping[str, str | int], starting_after: str | None = None
    ) -> dict[str, Any]:
        query = {"limit": self.session.config.page_size, **params}
        if starting_after:
            query["starting_after"] = starting_after
        body = await self.session.get(path, query, self.stats)
        self.stats.pages += 1
        return orjson.loads(body)

    async def all_pages(
        self,
        path: str,
        params: Mapping[str, str | int],
        on_objects: ObjectsHandler,
        starting_after: str | None = None,
    ) -> None:
        """Every page of a list, one after the other."""
        while True:
            page = await self.page(path, params, starting_after)
            data = page["data"]
            await on_objects(data)
            if not page.get("has_more") or not data:
                return
            starting_after = data[-1]["id"]

    async def created_window(
        self,
        path: str,
        params: Mapping[str, str | int],
        gte: int,
        lt: int,
        on_objects: ObjectsHandler,
        starting_after: str | None = None,
    ) -> None:
        """Every object with gte <= created < lt (after `starting_after`, if given)."""
        window = {**params, "created[gte]": gte, "created[lt]": lt}
        seen = 0
        while True:
            page = await self.page(path, window, starting_after)
            data = page["data"]
            await on_objects(data)
            seen += len(data)
            if not page.get("has_more") or not data:
                return
            oldest, starting_after = data[-1]["created"], data[-1]["id"]
            parts = self.parts_for_rest(path, gte, oldest, lt, seen)
            windows = split_window(gte, oldest + 1, parts)
            if len(windows) > 1:
                await self._split(path, params, windows, on_objects, starting_after)
                return

    def parts_for_rest(self, path: str, gte: int, oldest: int, lt: int, seen: int) -> int:
        """Windows for [gte, oldest]: by estimated size, or more while the budget idles."""
        rule = self.split
        pages = rest_pages(seen / self.session.config.page_size, gte, oldest, lt)
        parts = max(1, math.ceil(pages / rule.pages_per_window))
        spare = self.session.demand.spare(endpoint_of(path))
        if spare:
            parts = max(parts, min(spare + 1, int(pages / rule.min_pages_per_window)))
        return min(parts, rule.max_windows)

    async def _split(
        self,
        path: str,
        params: Mapping[str, str | int],
        windows: list[tuple[int, int]],
        on_objects: ObjectsHandler,
        cursor: str,
    ) -> None:
        """List windows concurrently; the newest holds the cursor's second and goes on after it."""
        *older, (newest_gte, newest_lt) = windows
        async with asyncio.TaskGroup() as group:
            group.create_task(
                self.created_window(path, params, newest_gte, newest_lt, on_objects, cursor)
            )
            for a, b in older:
                group.create_task(self.created_window(path, params, a, b, on_objects))
