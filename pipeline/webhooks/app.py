"""The ASGI app: `POST /webhooks/stripe`, answered only after durable storage.

Answers (JSON): 200 `{"status": "stored"}` or `{"status": "duplicate"}`;
400 `{"error": reason, "detail": …}` for `missing_signature`, `bad_signature`,
`stale_timestamp`, `malformed_body`, `malformed_json`, `missing_fields`;
413 `body_too_large`; 500 `storage_failed` (nothing acknowledged, Stripe retries).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from pipeline.webhooks.config import ReceiverConfig
from pipeline.webhooks.delivery import Rejection, check_delivery
from pipeline.webhooks.landing import LandingStore
from pipeline.webhooks.rejections import RejectionLog

log = logging.getLogger(__name__)
PATH = "/webhooks/stripe"


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
            raw, size = await read_body(request, config.max_body_bytes)
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
        status = "duplicate" if stored.duplicate else "stored"
        return JSONResponse({"status": status, "id": stored.event_id})

    async def refuse(rejection: Rejection, raw: bytes, size: int, source: str | None):
        log.info("rejected delivery from %s: %s", source, rejection.reason)
        try:
            await anyio.to_thread.run_sync(state["rejections"].record, rejection, raw, size, source)
        except OSError:
            log.exception("could not record a rejected delivery")
        body = {"error": rejection.reason, "detail": rejection.detail}
        return JSONResponse(body, status_code=rejection.status)

    return Starlette(routes=[Route(PATH, receive, methods=["POST"])], lifespan=lifespan)
