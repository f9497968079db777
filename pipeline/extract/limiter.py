"""One request budget shared by every concurrent listing: token buckets.

A request needs a token from the overall bucket and from its endpoint's
bucket, taken together, so waiting for a busy endpoint never burns overall
budget. After a 429 the whole limiter pauses briefly and halves its rates,
which then grow back linearly to the configured ones (additive increase,
multiplicative decrease, as TCP shares a link): the account's limit is shared
with whatever else uses it (other runs of this pipeline, the user's own app),
so the rates configured are a ceiling, not a pace to hold against 429s. The
clock is injected, so the accounting is tested without wall time.

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
    """Overall and per-endpoint requests/s, plus a shared pause and slowdown after a 429."""

    def __init__(
        self,
        overall: float,
        per_endpoint: float,
        *,
        burst_seconds: float = 0.5,
        recovery_seconds: float = 20.0,
        min_share: float = 1 / 16,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.overall_rate, self.per_endpoint = overall, per_endpoint
        self.burst_seconds = burst_seconds
        self.recovery_seconds, self.min_share = recovery_seconds, min_share
        self.clock = clock
        self.overall = TokenBucket(overall, overall * burst_seconds, clock())
        self.endpoints: dict[str, TokenBucket] = {}
        self.paused_until = float("-inf")
        self._share, self._share_at = 1.0, clock()

    def share(self, now: float) -> float:
        """The fraction of the configured rates in use: 1, or less since a 429, growing
        back by 1 every `recovery_seconds`."""
        return min(1.0, self._share + (now - self._share_at) / self.recovery_seconds)

    def slow_down(self) -> None:
        """Halve the rates in use (after Stripe said 429), to no less than `min_share`."""
        now = self.clock()
        self._share, self._share_at = max(self.min_share, self.share(now) / 2), now

    def _bucket(self, endpoint: str, now: float) -> TokenBucket:
        if endpoint not in self.endpoints:
            capacity = self.per_endpoint * self.burst_seconds
            self.endpoints[endpoint] = TokenBucket(self.per_endpoint, capacity, now)
        return self.endpoints[endpoint]

    def _set_rates(self, bucket: TokenBucket, now: float) -> None:
        """The buckets in play refilled at their old rate, then given the current one."""
        share = self.share(now)
        for each, rate in ((self.overall, self.overall_rate), (bucket, self.per_endpoint)):
            each.refill(now)
            each.rate = rate * share

    def try_acquire(self, endpoint: str, now: float) -> float:
        """Take one token from both buckets and return 0, or return the wait."""
        bucket = self._bucket(endpoint, now)
        self._set_rates(bucket, now)
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
