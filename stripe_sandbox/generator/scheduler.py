"""Future actions of a simulated account, popped in time order."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from typing import Any


class Scheduler:
    """A heap of `(time, order, action, args)`; ties run in the order they were scheduled."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, Callable[..., Any], tuple[Any, ...]]] = []
        self._order = 0

    def at(self, t: int, action: Callable[..., Any], *args: Any) -> None:
        self._order += 1
        heapq.heappush(self._heap, (t, self._order, action, args))

    def due(self, until: int) -> Iterator[tuple[int, Callable[..., Any], tuple[Any, ...]]]:
        """Pop every action with time < until, including ones scheduled while iterating."""
        heap = self._heap
        while heap and heap[0][0] < until:
            t, _, action, args = heapq.heappop(heap)
            yield t, action, args

    def __len__(self) -> int:
        return len(self._heap)
