"""The async HTTP session: keep-alive pools, shared limiter, retries, counters.

One `StripeSession` serves every concurrent listing of a run. A page comes
back as bytes; parsing is the caller's (once, with orjson).
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Callable, Mapping
from types import TracebackType

import httpx
import orjson

from pipeline.extract.config import StripeHttp
from pipeline.extract.demand import Demand
from pipeline.extract.errors import StripeApiError, redact
from pipeline.extract.limiter import RateLimiter, endpoint_of
from pipeline.extract.retry import RetryPolicy
from pipeline.extract.stats import ExtractStats

Params = Mapping[str, str | int]
TRANSPORT_ERRORS = (httpx.TransportError,)  # connect/read errors, timeouts, dropped connections
CONNECTIONS_PER_POOL = 8
"""httpcore 1.0's pool scans (and polls) every connection on every request and answer,
so its cost grows with the square of the connections in flight; several small pools
keep each scan short (a third of the client's CPU went there with one pool of 64)."""


class StripeSession:
    """`async with StripeSession(config) as session: await session.get(path, params, stats)`."""

    def __init__(
        self,
        config: StripeHttp,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: RateLimiter | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], object] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.config = config
        self.limiter = limiter or RateLimiter(
            config.overall_requests_per_second, config.endpoint_requests_per_second
        )
        self.policy = policy or RetryPolicy(max_retries=config.max_retries)
        self._sleep, self._rng = sleep, rng
        self.demand = Demand(
            config.overall_requests_per_second,
            config.endpoint_requests_per_second,
            config.max_concurrency,
        )
        self._in_flight = asyncio.Semaphore(config.max_concurrency)
        pools = math.ceil(config.max_concurrency / CONNECTIONS_PER_POOL)
        size = math.ceil(config.max_concurrency / pools)
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        tls = httpx.create_ssl_context()  # once: loading the CA bundle costs ~80 ms
        self._clients = [
            httpx.AsyncClient(
                base_url=config.api_base,
                headers=config.headers(),
                timeout=config.timeout,
                limits=limits,
                verify=tls,
                transport=transport,
            )
            for _ in range(pools)
        ]
        self._busy = [0] * pools

    def __repr__(self) -> str:
        return f"StripeSession({self.config!r})"

    async def __aenter__(self) -> StripeSession:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()

    async def get(self, path: str, params: Params, stats: ExtractStats) -> bytes:
        """GET with limiter and retries; the body bytes of a 2xx answer."""
        endpoint = endpoint_of(path)
        retries = 0
        while True:
            with self.demand.waiting(endpoint):
                await self.limiter.acquire(endpoint)
                status, headers, body = await self._attempt(path, params, stats)
            if status is not None and status < 300:
                return body
            decision = self.policy.decide(retries, status, headers, self._rng)
            if status == 429:
                stats.rate_limited += 1
            if not decision.retry:
                raise self._error(path, status, headers, body)
            if decision.pause_limiter:  # a 429: the account's limit is busier than ours
                self.limiter.pause(decision.pause_limiter)
                self.limiter.slow_down()
            retries += 1
            stats.retries += 1
            await self._sleep(decision.delay)

    async def _attempt(
        self, path: str, params: Params, stats: ExtractStats
    ) -> tuple[int | None, Mapping[str, str], bytes]:
        stats.requests += 1
        async with self._in_flight:
            pool = self._busy.index(min(self._busy))
            self._busy[pool] += 1
            started = time.monotonic()
            try:
                response = await self._clients[pool].get(path, params=dict(params))
            except TRANSPORT_ERRORS as exc:
                return None, {}, type(exc).__name__.encode()
            finally:
                self._busy[pool] -= 1
            self.demand.observe_latency(time.monotonic() - started)
        stats.bytes += len(response.content)
        return response.status_code, response.headers, response.content

    def _error(
        self, path: str, status: int | None, headers: Mapping[str, str], body: bytes
    ) -> StripeApiError:
        try:
            error = orjson.loads(body).get("error") or {}
        except (orjson.JSONDecodeError, AttributeError):
            error = {}
        message = error.get("message") or body[:200].decode("utf-8", "replace")
        if status is None:
            message = f"transport error after retries: {message}"
        return StripeApiError(
            status,
            redact(str(message), self.config.api_key),
            path=path,
            request_id=headers.get("request-id"),
            error_type=error.get("type"),
            code=error.get("code"),
        )
