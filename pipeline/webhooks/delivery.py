"""Checking one delivery: size, signature, JSON and the fields an event needs.

Each check either passes or raises `Rejection` with an HTTP status and a short
machine-readable reason; the receiver turns that into a 4xx answer and a line
in the rejection log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import stripe

REQUIRED_FIELDS = ("id", "type", "created")


class Rejection(Exception):
    """A delivery refused before it was stored."""

    def __init__(self, status: int, reason: str, detail: str, event_id: str | None = None):
        super().__init__(f"{reason}: {detail}")
        self.status = status
        self.reason = reason
        self.detail = detail
        self.event_id = event_id


@dataclass(frozen=True)
class Delivery:
    """A verified, well-formed event delivery: the raw text and what we index it by."""

    body: str
    event: dict[str, Any]

    @property
    def event_id(self) -> str:
        return self.event["id"]


def verify_signature(body: str, header: str | None, secrets: tuple[str, ...], tolerance: int):
    """Accept if any secret verifies `Stripe-Signature` within `tolerance` seconds.

    Uses the stripe SDK's verifier; a signature that matches but is too old is
    reported as `stale_timestamp`, not as a bad signature.
    """
    if not header:
        raise Rejection(400, "missing_signature", "no Stripe-Signature header")
    if not secrets:
        raise Rejection(400, "bad_signature", "no webhook secret is configured")
    stale = False
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(body, header, secret, tolerance=tolerance)
            return
        except stripe.SignatureVerificationError as err:
            stale = stale or "tolerance" in str(err)
    if stale:
        raise Rejection(400, "stale_timestamp", f"signature older than {tolerance} s")
    raise Rejection(400, "bad_signature", "no signature matches a configured secret")


def parse_event(body: str) -> dict[str, Any]:
    """The event object in `body`, or a `Rejection` naming what is wrong with it."""
    try:
        event = json.loads(body)
    except ValueError as err:
        raise Rejection(400, "malformed_json", f"body is not JSON: {err.msg}") from None
    if not isinstance(event, dict):
        raise Rejection(400, "malformed_json", "body is not a JSON object")
    event_id = event.get("id") if isinstance(event.get("id"), str) else None
    missing = [f for f in REQUIRED_FIELDS if event.get(f) in (None, "")]
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        missing.append("data.object")
    if missing:
        raise Rejection(400, "missing_fields", "missing " + ", ".join(missing), event_id)
    if not isinstance(event["id"], str) or not isinstance(event["type"], str):
        raise Rejection(400, "missing_fields", "id and type must be strings", event_id)
    if not isinstance(event["created"], int) or isinstance(event["created"], bool):
        raise Rejection(400, "missing_fields", "created must be an integer", event_id)
    return event


def check_delivery(raw: bytes, header: str | None, secrets: tuple[str, ...], tolerance: int):
    """Signature first (over the exact bytes), then the JSON inside."""
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejection(400, "malformed_body", "body is not UTF-8") from None
    verify_signature(body, header, secrets, tolerance)
    return Delivery(body=body, event=parse_event(body))
