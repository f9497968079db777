"""Webhook deliveries of the sandbox's events, genuine or forged on purpose.

`sign` produces Stripe's `Stripe-Signature` header (`t=<unix>,v1=<hex>`,
HMAC-SHA256 of `"{t}.{body}"`); `deliver` POSTs events to an endpoint the way
Stripe does. The forged variants exercise a receiver's checks: four must fail
signature verification (altered, unsigned, wrong-secret, stale), two are
validly signed and must be caught otherwise (replay: seen twice; unknown-id:
Stripe has no such event).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
import orjson

FORGERIES = ("altered", "unsigned", "wrong-secret", "stale", "replay", "unknown-id")
SIGNATURE_FORGERIES = frozenset({"altered", "unsigned", "wrong-secret", "stale"})
STALE_SECONDS = 600  # beyond the SDK's 300 s tolerance
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header value for `payload` sent at `timestamp`."""
    signed = b"%d.%s" % (timestamp, payload)
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass(frozen=True)
class Delivery:
    """One POST as sent: what a receiver got and how it answered."""

    event_id: str
    payload: bytes
    headers: dict[str, str]
    status: int | None  # None when the request failed before an answer


def forge_delivery(payload: bytes, secret: str, forge: str | None, now: int) -> list[tuple]:
    """The (payload, headers) pairs to send for one event under `forge`."""
    timestamp, body = now, payload
    if forge == "altered":
        event = orjson.loads(payload)
        signature = sign(payload, secret, timestamp)  # signed before the change
        obj = event.get("data", {}).get("object", {})
        obj["metadata"] = {**(obj.get("metadata") or {}), "tampered": "true"}
        body = orjson.dumps(event)
        return [(body, _headers(signature))]
    if forge == "unknown-id":
        event = orjson.loads(payload)
        event["id"] = "evt_" + secrets.token_hex(12)
        body = orjson.dumps(event)
    if forge == "stale":
        timestamp = now - STALE_SECONDS
    key = secret + "-wrong" if forge == "wrong-secret" else secret
    headers = _headers(None if forge == "unsigned" else sign(body, key, timestamp))
    return [(body, headers)] * (2 if forge == "replay" else 1)


def _headers(signature: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return headers


def deliver(
    events: Iterable[bytes],
    url: str,
    secret: str,
    forge: str | None = None,
    *,
    now: int | None = None,
    client: httpx.Client | None = None,
    timeout: float = 10.0,
) -> list[Delivery]:
    """POST each event's JSON body to `url`, signed with `secret` (or forged)."""
    if forge is not None and forge not in FORGERIES:
        raise ValueError(f"unknown forgery {forge!r}; choose from {', '.join(FORGERIES)}")
    own_client = client is None
    client = client or httpx.Client(timeout=timeout)
    deliveries = []
    try:
        for payload in events:
            sent_at = int(time.time()) if now is None else now
            for body, headers in forge_delivery(payload, secret, forge, sent_at):
                event_id = orjson.loads(body).get("id", "")
                try:
                    status = client.post(url, content=body, headers=headers).status_code
                except httpx.HTTPError:
                    status = None
                deliveries.append(Delivery(event_id, body, headers, status))
    finally:
        if own_client:
            client.close()
    return deliveries
