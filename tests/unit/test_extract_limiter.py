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


def granted_over(limiter: RateLimiter, clock: Clock, seconds: float) -> int:
    granted = 0
    for _ in range(int(seconds * 1000)):  # steps of 1 ms
        clock.now += 0.001
        granted += limiter.try_acquire("/v1/charges", clock.now) == 0
    return granted


def test_a_429_halves_the_rate_which_grows_back_to_the_configured_one():
    clock = Clock()
    limiter = RateLimiter(overall=40, per_endpoint=40, burst_seconds=0.05, recovery_seconds=20,
                          clock=clock)  # fmt: skip
    assert granted_over(limiter, clock, 1) == pytest.approx(40, abs=3)
    limiter.slow_down()
    assert limiter.share(clock.now) == 0.5
    assert granted_over(limiter, clock, 1) == pytest.approx(21, abs=3)  # 20/s, growing
    clock.now += 9.01
    assert limiter.share(clock.now) == 1.0  # 0.5 back in 10 s
    assert granted_over(limiter, clock, 1) == pytest.approx(40, abs=3)


def test_repeated_429s_slow_down_to_the_floor_not_to_a_halt():
    clock = Clock()
    limiter = RateLimiter(overall=32, per_endpoint=32, min_share=1 / 16, clock=clock)
    for _ in range(10):
        limiter.slow_down()
    assert limiter.share(clock.now) == 1 / 16
    assert granted_over(limiter, clock, 2) >= 3  # 2 requests/s, plus the burst


def rejected_share(clients: list[RateLimiter], clock: Clock, *, slow_down: bool) -> float:
    """Clients sharing one account's limit of 25/s for 60 s: the share of their requests
    the account answers 429 (each 429 pauses its client 0.25 s, and maybe slows it)."""
    account = TokenBucket(25, 25 * 0.5, clock.now)
    sent = rejected = 0
    for _ in range(60_000):
        clock.now += 0.001
        for client in clients:
            if client.try_acquire("/v1/charges", clock.now) == 0:
                sent += 1
                if account.wait_time(clock.now) == 0:
                    account.tokens -= 1
                    continue
                rejected += 1
                client.pause(0.25)
                if slow_down:
                    client.slow_down()
    return rejected / sent


def test_runs_sharing_an_account_back_off_to_their_share_of_its_limit():
    clock = Clock()
    two = [RateLimiter(25, 25, clock=clock) for _ in range(2)]
    backing_off = rejected_share(two, clock, slow_down=True)
    pausing_only = rejected_share([RateLimiter(25, 25, clock=clock) for _ in range(2)], clock,
                                  slow_down=False)  # fmt: skip
    assert backing_off < 0.1 < pausing_only
