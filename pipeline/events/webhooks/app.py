"""The ASGI app: `POST /webhooks/stripe`, answered only after durable storage.

Answers (JSON): 200 `{"status": "stored"}` or `{"status": "duplicate"}` (the
same content already stored); 400 `{"error": reason, "detail": …}` for
`missing_signature`, `bad_signature`, `stale_timestamp`, `future_timestamp`,
`malformed_body`, `malformed_json`, `missing_fields`, `invalid_fields` (the
envelope's types, `pipeline.events.webhooks.envelope`), `too_many_bodies` (more
distinct bodies for one event id than the store keeps); 408 `body_timeout`;
413 `body_too_large`; 431 `headers_too_large`; 500 `storage_failed` (nothing
acknowledged, Stripe retries).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from pipeline.events.webhooks.config import ReceiverConfig
from pipeline.events.webhooks.delivery import Rejection, check_delivery
from pipeline.events.webhooks.landing import LandingStore
from pipeline.events.webhooks.rejections import RejectionLog

log = logging.getLogger(__name__)
PATH = "/webhooks/stripe"


def header_bytes(request: Request) -> int:
    return sum(len(k) + len(v) + 4 for k, v in request.headers.raw) + len(request.url.path)


async def read_body(request: Request, limit: int) -> tuple[bytes, int]:
    """The body, or a 413 `Rejection` as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Rejection(413, "body_too_large", f"body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Rejection(413, "body_too_large", f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks), size


def create_app(config: ReceiverConfig) -> Starlette:
    """A receiver storing into `config.landing_dir`; the store opens at start-up."""
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app: Starlette):
        state["landing"] = LandingStore(config.landing_dir)
        state["rejections"] = RejectionLog(config.rejections_dir)
        for torn in state["landing"].torn_at_start:
            log.warning("torn landing line skipped: %s at byte %d", torn.path, torn.offset)
        try:
            yield
        finally:
            state["landing"].close()
            state["rejections"].close()

    async def receive(request: Request) -> JSONResponse:
        source = request.client.host if request.client else None
        raw, size = b"", 0
        try:
            if header_bytes(request) > config.max_header_bytes:
                raise Rejection(431, "headers_too_large", f"over {config.max_header_bytes} bytes")
            try:
                with anyio.fail_after(config.body_timeout_seconds):
                    raw, size = await read_body(request, config.max_body_bytes)
            except TimeoutError:
                detail = f"body not received within {config.body_timeout_seconds:g} s"
                raise Rejection(408, "body_timeout", detail) from None
            header = request.headers.get("stripe-signature")
            delivery = check_delivery(raw, header, config.secrets, config.tolerance_seconds)
        except Rejection as rejection:
            return await refuse(rejection, raw, size or len(raw), source)
        headers = dict(request.headers)
        try:
            stored = await anyio.to_thread.run_sync(
                state["landing"].store, delivery, headers, source
            )
        except OSError:
            log.exception("could not store delivery %s", delivery.event_id)
            return JSONResponse({"error": "storage_failed"}, status_code=500)
        if stored.status == "over_limit":
            detail = "this event id already has as many distinct bodies as are kept"
            rejection = Rejection(400, "too_many_bodies", detail, stored.event_id)
            return await refuse(rejection, raw, size, source)
        return JSONResponse({"status": stored.status, "id": stored.event_id})

    async def refuse(rejection: Rejection, raw: bytes, size: int, source: str | None):
        try:
            log_it = state["rejections"].record
            if await anyio.to_thread.run_sync(log_it, rejection, raw, size, source):
                log.info("rejected delivery from %s: %s", source, rejection.reason)
        except OSError:
            log.exception("could not record a rejected delivery")
        body = {"error": rejection.reason, "detail": rejection.detail}
        close = {"connection": "close"} if rejection.status in (408, 413, 431) else None
        return JSONResponse(body, status_code=rejection.status, headers=close)

    return Starlette(routes=[Route(PATH, receive, methods=["POST"])], lifespan=lifespan)
