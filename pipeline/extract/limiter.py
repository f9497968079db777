"""One request budget shared by every concurrent listing: token buckets.

A request needs a token from the overall bucket and from its endpoint's
bucket, taken together, so waiting for a busy endpoint never burns overall
budget. After a 429 the whole limiter pauses briefly. The clock is injected,
so the accounting is tested without wall time.

Why not `aiolimiter`: it has no injectable clock, cannot take from two
buckets at once, and has no pause; this is the thirty lines we need.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens per second, holding at most `capacity` (the allowed burst)."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self.tokens = self.capacity
        self.updated = now

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = max(self.updated, now)

    def wait_time(self, now: float) -> float:
        """Seconds until one token is there (0 when it is there now)."""
        self.refill(now)
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate


def endpoint_of(path: str) -> str:
    """Rate-limit key of a path: ids become `{id}` (`/v1/invoices/{id}/lines`)."""
    parts = path.strip("/").split("?")[0].split("/")
    if len(parts) > 2:
        parts[2] = "{id}"
    return "/" + "/".join(parts)


class RateLimiter:
    """Overall and per-endpoint requests/s, plus a shared pause after a 429."""

    def __init__(
        self,
        overall: float,
        per_endpoint: float,
        *,
        burst_seconds: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_endpoint = per_endpoint
        self.burst_seconds = burst_seconds
        self.clock = clock
        self.overall = TokenBucket(overall, overall * burst_seconds, clock())
        self.endpoints: dict[str, TokenBucket] = {}
        self.paused_until = float("-inf")

    def _bucket(self, endpoint: str, now: float) -> TokenBucket:
        if endpoint not in self.endpoints:
            capacity = self.per_endpoint * self.burst_seconds
            self.endpoints[endpoint] = TokenBucket(self.per_endpoint, capacity, now)
        return self.endpoints[endpoint]

    def try_acquire(self, endpoint: str, now: float) -> float:
        """Take one token from both buckets and return 0, or return the wait."""
        bucket = self._bucket(endpoint, now)
        wait = max(self.paused_until - now, self.overall.wait_time(now), bucket.wait_time(now))
        if wait > 0:
            return wait
        self.overall.tokens -= 1.0
        bucket.tokens -= 1.0
        return 0.0

    def pause(self, seconds: float) -> None:
        """Stop handing out tokens for `seconds` (after Stripe said 429)."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)

    async def acquire(self, endpoint: str) -> None:
        while (wait := self.try_acquire(endpoint, self.clock())) > 0:
            await asyncio.sleep(wait)
