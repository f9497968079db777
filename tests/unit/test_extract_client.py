"""Retry policy and the HTTP session, against httpx.MockTransport (no network)."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest

from pipeline.catalog import API_VERSION
from pipeline.extract.client import StripeSession
from pipeline.extract.config import StripeHttp
from pipeline.extract.errors import StripeApiError
from pipeline.extract.limiter import RateLimiter
from pipeline.extract.retry import RetryPolicy
from pipeline.extract.stats import ExtractStats

KEY = "sk_test_SECRETSECRET123"
OK = httpx.Response(200, json={"object": "list", "data": [], "has_more": False})


def test_policy_rules():
    policy = RetryPolicy(max_retries=3)
    assert policy.decide(0, 500).retry
    assert policy.decide(0, None).retry  # dropped connection / timeout
    assert not policy.decide(0, 500, {"stripe-should-retry": "false"}).retry
    assert not policy.decide(0, 429, {"stripe-should-retry": "false"}).retry
    limited = policy.decide(0, 429, {"stripe-should-retry": "true"})
    assert limited.retry and limited.pause_limiter > 0
    assert not policy.decide(0, 400).retry and not policy.decide(0, 404).retry
    assert policy.decide(0, 409, {"stripe-should-retry": "true"}).retry
    assert not policy.decide(3, 500).retry


def test_backoff_grows_with_jitter_and_is_capped():
    policy = RetryPolicy(base_delay=1, max_delay=8)
    assert policy.backoff(0, rng=lambda: 0.0) == 0.5
    assert policy.backoff(0, rng=lambda: 1.0) == 1.0
    assert policy.backoff(2, rng=lambda: 1.0) == 4.0
    assert policy.backoff(10, rng=lambda: 1.0) == 8.0


def run(responses, config=None, path="/v1/charges"):
    """GET once through a session whose transport answers from `responses` in order."""
    seen: list[httpx.Request] = []
    answers = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def main():
        cfg = config or StripeHttp(KEY, api_base="http://stripe.test", max_retries=3)
        limiter = RateLimiter(1e6, 1e6)
        sleeps: list[float] = []

        async def sleep(seconds: float) -> None:
            sleeps.append(seconds)

        session = StripeSession(
            cfg, transport=httpx.MockTransport(handler), limiter=limiter, sleep=sleep
        )
        stats = ExtractStats()
        async with session:
            try:
                body = await session.get(path, {"limit": 100}, stats)
            except StripeApiError as exc:
                body = exc
        return body, stats, seen, limiter

    return asyncio.run(main())


def test_sends_stripe_headers():
    cfg = StripeHttp(KEY, api_base="http://stripe.test", stripe_account="acct_123")
    _, _, seen, _ = run([OK], cfg)
    headers = seen[0].headers
    assert headers["authorization"] == f"Bearer {KEY}"
    assert headers["stripe-version"] == API_VERSION
    assert headers["stripe-account"] == "acct_123"
    assert "stripe-warehouse" in headers["user-agent"]
    assert seen[0].url.params["limit"] == "100"


def test_500_and_dropped_connections_are_retried():
    dropped = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    body, stats, seen, _ = run([httpx.Response(500), dropped, httpx.ReadTimeout("slow"), OK])
    assert orjson.loads(body)["object"] == "list"
    assert (stats.requests, stats.retries, len(seen)) == (4, 3, 4)


def test_429_is_retried_and_pauses_and_slows_the_limiter():
    limited = httpx.Response(429, headers={"Stripe-Should-Retry": "true"})
    body, stats, _, limiter = run([limited, OK])
    assert isinstance(body, bytes)
    assert (stats.rate_limited, stats.retries) == (1, 1)
    assert limiter.paused_until > float("-inf")
    assert limiter.share(limiter.clock()) < 1  # the account's limit is shared: back off


def test_should_retry_false_is_not_retried():
    answer = httpx.Response(
        429,
        headers={"Stripe-Should-Retry": "false", "Request-Id": "req_1"},
        json={"error": {"type": "rate_limit_error", "message": "Too many requests"}},
    )
    error, stats, seen, _ = run([answer, OK])
    assert isinstance(error, StripeApiError) and error.status == 429
    assert len(seen) == 1 and stats.retries == 0


def test_client_error_is_typed_and_never_shows_the_key():
    answer = httpx.Response(
        401,
        headers={"Request-Id": "req_abc"},
        json={"error": {"type": "invalid_request_error", "message": f"Invalid API Key: {KEY}"}},
    )
    error, _, seen, _ = run([answer])
    assert isinstance(error, StripeApiError)
    assert (error.status, error.request_id, error.error_type) == (
        401,
        "req_abc",
        "invalid_request_error",
    )
    assert "Invalid API Key" in str(error) and "req_abc" in str(error)
    assert KEY not in str(error) and KEY not in repr(error)
    assert len(seen) == 1


def test_retries_run_out_with_a_typed_error():
    error, stats, _, _ = run([httpx.Response(503)] * 4)
    assert isinstance(error, StripeApiError) and error.status == 503
    assert stats.requests == 4 and stats.retries == 3


def test_config_repr_hides_the_key():
    cfg = StripeHttp(KEY)
    assert KEY not in repr(cfg)
    assert cfg.overall_requests_per_second == 25
    assert StripeHttp("rk_live_x").overall_requests_per_second == 100
    assert StripeHttp("sk_live_x", requests_per_second=40).overall_requests_per_second == 40
    assert KEY not in repr(StripeSession(cfg))


@pytest.mark.parametrize("key", ["sk_live_abc", "rk_live_abc"])
def test_live_keys_are_live(key):
    assert StripeHttp(key).mode == "live"
