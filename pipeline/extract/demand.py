"""How many more requests could be in progress without waiting: Little's law.

Keeping the rate limit busy needs about `rate × latency` requests in progress
(waiting for a token or in flight). Listings ask `spare(endpoint)` before
splitting a window, so they split only while the budget is idle.

The latency used is the recent *minimum* (the answer time without queueing),
times a headroom: an overloaded server or client answers slower, and feeding
that back as more concurrency would only queue more.
"""

from __future__ import annotations

import contextlib
from collections import Counter, deque
from collections.abc import Iterator


class Demand:
    def __init__(
        self,
        overall_rate: float,
        endpoint_rate: float,
        max_concurrency: int = 1_000_000,
        *,
        headroom: float = 2.0,
        window: int = 64,
    ) -> None:
        self.overall_rate = overall_rate
        self.endpoint_rate = min(endpoint_rate, overall_rate)
        self.max_concurrency = max_concurrency
        self.headroom = headroom
        self.recent: deque[float] = deque(maxlen=window)  # latest answer times, seconds
        self.active: Counter[str] = Counter()

    def observe_latency(self, seconds: float) -> None:
        self.recent.append(seconds)

    @property
    def latency(self) -> float | None:
        """Answer time without queueing: the smallest recent one, with headroom."""
        return min(self.recent) * self.headroom if self.recent else None

    @contextlib.contextmanager
    def waiting(self, endpoint: str) -> Iterator[None]:
        """Count a request as in progress while it waits for a token and runs."""
        self.active[endpoint] += 1
        try:
            yield
        finally:
            self.active[endpoint] -= 1

    def spare(self, endpoint: str) -> int:
        """Requests that could start now and still be served within the rate limits."""
        latency = self.latency
        if latency is None:
            return 0
        overall = min(self.overall_rate * latency, self.max_concurrency)
        overall -= self.active.total()
        mine = self.endpoint_rate * latency - self.active[endpoint]
        return max(0, int(min(overall, mine)))
