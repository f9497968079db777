"""Token accounting of the shared limiter, with an injected clock (no wall time)."""

from __future__ import annotations

import pytest

from pipeline.extract.limiter import RateLimiter, TokenBucket, endpoint_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def drain(limiter: RateLimiter, endpoint: str, clock: Clock) -> int:
    taken = 0
    while limiter.try_acquire(endpoint, clock.now) == 0:
        taken += 1
    return taken


def test_bucket_refills_at_rate_up_to_capacity():
    bucket = TokenBucket(rate=10, capacity=5, now=0)
    bucket.tokens = 0
    assert bucket.wait_time(0.05) == pytest.approx(0.05)
    assert bucket.wait_time(0.1) == 0
    bucket.refill(100)
    assert bucket.tokens == 5


def test_overall_rate_is_shared_between_endpoints():
    clock = Clock()
    limiter = RateLimiter(overall=10, per_endpoint=100, burst_seconds=1, clock=clock)
    assert drain(limiter, "/v1/charges", clock) == 10
    assert limiter.try_acquire("/v1/customers", clock.now) == pytest.approx(0.1)
    clock.now += 1.0
    assert drain(limiter, "/v1/customers", clock) == 10


def test_endpoint_rate_limits_one_endpoint_but_not_others():
    clock = Clock()
    limiter = RateLimiter(overall=100, per_endpoint=25, burst_seconds=1, clock=clock)
    assert drain(limiter, "/v1/charges", clock) == 25
    assert drain(limiter, "/v1/invoices", clock) == 25
    assert limiter.try_acquire("/v1/charges", clock.now) == pytest.approx(1 / 25)


def test_waiting_for_an_endpoint_does_not_spend_overall_tokens():
    clock = Clock()
    limiter = RateLimiter(overall=10, per_endpoint=2, burst_seconds=1, clock=clock)
    assert drain(limiter, "/v1/charges", clock) == 2
    for _ in range(50):
        assert limiter.try_acquire("/v1/charges", clock.now) > 0
    assert drain(limiter, "/v1/customers", clock) == 2
    assert limiter.overall.tokens == pytest.approx(6)


def test_sustained_rate_over_ten_seconds():
    clock = Clock()
    limiter = RateLimiter(overall=25, per_endpoint=25, burst_seconds=0.2, clock=clock)
    granted = 0
    for _ in range(10_000):  # steps of 1 ms over 10 s
        clock.now += 0.001
        granted += limiter.try_acquire("/v1/charges", clock.now) == 0
    assert 250 <= granted <= 250 + 5  # the rate, plus at most the burst


def test_pause_after_429_stops_all_endpoints():
    clock = Clock()
    limiter = RateLimiter(overall=100, per_endpoint=25, clock=clock)
    limiter.pause(0.5)
    assert limiter.try_acquire("/v1/charges", clock.now) == pytest.approx(0.5)
    assert limiter.try_acquire("/v1/events", clock.now) == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.try_acquire("/v1/events", clock.now) == 0


def test_endpoint_key_ignores_ids():
    assert endpoint_of("/v1/invoices/in_123/lines") == "/v1/invoices/{id}/lines"
    assert endpoint_of("/v1/balance_transactions") == "/v1/balance_transactions"
