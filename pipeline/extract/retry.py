"""When to retry a Stripe request, as a pure decision.

- 429: retry unless `Stripe-Should-Retry: false`, and pause the shared limiter;
- 5xx, dropped connections and timeouts: retry with jittered exponential backoff;
- `Stripe-Should-Retry: true` on any status: retry (as the stripe SDK does);
- other 4xx: do not retry (the caller raises a typed error).

A small loop around this decision replaces a retry library: the rules are
Stripe's, and the decision is tested without sleeping.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    delay: float = 0.0
    pause_limiter: float = 0.0  # seconds the shared limiter should pause


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 8
    base_delay: float = 0.25
    max_delay: float = 8.0
    rate_limit_pause: float = 0.25

    def backoff(self, retries_so_far: int, rng: Callable[[], float] = random.random) -> float:
        """Exponential delay with jitter in [half, full] of the step."""
        step = min(self.max_delay, self.base_delay * 2**retries_so_far)
        return step * (0.5 + 0.5 * rng())

    def decide(
        self,
        retries_so_far: int,
        status: int | None,
        headers: Mapping[str, str] | None = None,
        rng: Callable[[], float] = random.random,
    ) -> RetryDecision:
        """`status` None means the request failed in transport (dropped, timed out)."""
        if retries_so_far >= self.max_retries:
            return RetryDecision(False)
        should_retry = (headers or {}).get("stripe-should-retry")
        if should_retry == "false":
            return RetryDecision(False)
        delay = self.backoff(retries_so_far, rng)
        if status == 429:
            return RetryDecision(True, max(delay, self.rate_limit_pause), self.rate_limit_pause)
        if status is None or status >= 500 or should_retry == "true":
            return RetryDecision(True, delay)
        return RetryDecision(False)
