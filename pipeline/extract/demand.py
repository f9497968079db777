"""How many more requests could be in progress without waiting: Little's law.

Keeping the rate limit busy needs about `rate × latency` requests in progress
(waiting for a token or in flight). Listings ask `spare(endpoint)` before
splitting a window, so they split only while the budget is idle.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator


class Demand:
    def __init__(
        self,
        overall_rate: float,
        endpoint_rate: float,
        max_concurrency: int = 1_000_000,
        smoothing: float = 0.2,
    ) -> None:
        self.overall_rate = overall_rate
        self.max_concurrency = max_concurrency
        self.endpoint_rate = min(endpoint_rate, overall_rate)
        self.smoothing = smoothing
        self.latency: float | None = None  # moving average of request seconds
        self.active: Counter[str] = Counter()

    def observe_latency(self, seconds: float) -> None:
        if self.latency is None:
            self.latency = seconds
        else:
            self.latency += self.smoothing * (seconds - self.latency)

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
        if self.latency is None:
            return 0
        overall = min(self.overall_rate * self.latency, self.max_concurrency)
        overall -= self.active.total()
        mine = self.endpoint_rate * self.latency - self.active[endpoint]
        return max(0, int(min(overall, mine)))
