"""Paging a list endpoint: sequentially with `starting_after`, or by `created` windows.

`created_window` reads the first page of [gte, lt); when more remain it
estimates how many pages the rest holds from the page's time span and, if
worth it, splits: the rest of the oldest page's second continues after the
cursor, and [gte, oldest second) is cut into windows listed concurrently, each
doing the same. Windows are [gte, lt) and the cursor continues within one
second, so every object is read exactly once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from pipeline.extract.client import StripeSession
from pipeline.extract.stats import ExtractStats
from pipeline.extract.windows import parts_for_rest, split_window

Objects = list[dict[str, Any]]
ObjectsHandler = Callable[[Objects], Awaitable[None]]


@dataclass(frozen=True)
class SplitPolicy:
    """Split the rest of a window when it holds more than `pages_per_window` pages."""

    pages_per_window: int = 2
    max_windows: int = 32


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
        page = await self.page(path, window, starting_after)
        data = page["data"]
        await on_objects(data)
        if not page.get("has_more") or not data:
            return
        oldest, cursor = data[-1]["created"], data[-1]["id"]
        rule = self.split
        parts = parts_for_rest(gte, oldest, lt, rule.pages_per_window, rule.max_windows)
        if parts == 1 or oldest <= gte:
            await self.all_pages(path, window, on_objects, starting_after=cursor)
            return
        async with asyncio.TaskGroup() as group:
            group.create_task(
                self.created_window(path, params, oldest, oldest + 1, on_objects, cursor)
            )
            for a, b in split_window(gte, oldest, parts):
                group.create_task(self.created_window(path, params, a, b, on_objects))
