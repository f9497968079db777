"""Checking one delivery: signature (and its time window), JSON, the event envelope.

Each check either passes or raises `Rejection` with an HTTP status and a short
machine-readable reason; the receiver turns that into a 4xx answer and a line
in the rejection log.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import stripe

from pipeline.events.webhooks.envelope import EnvelopeError, check_envelope
from pipeline.stripe_ids import is_event_id


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


def signed_timestamp(header: str) -> int:
    """The `t=` of a header the SDK has verified, read as the SDK reads it."""
    items = [item.split("=", 2) for item in header.split(",")]
    return int(next(item[1] for item in items if item[0] == "t"))


def verify_signature(
    body: str,
    header: str | None,
    secrets: tuple[str, ...],
    tolerance: int,
    now: float | None = None,
):
    """Accept if any secret verifies `Stripe-Signature` within `tolerance` seconds of now.

    Uses the stripe SDK's verifier, which only refuses timestamps too far in the
    past; like Stripe's other libraries (stripe-php: `abs(time() - $timestamp) >
    $tolerance`) a timestamp more than `tolerance` ahead is refused too. A
    signature that matches but is too old is `stale_timestamp`, too new
    `future_timestamp`, not a bad signature.
    """
    if not header:
        raise Rejection(400, "missing_signature", "no Stripe-Signature header")
    if not secrets:
        raise Rejection(400, "bad_signature", "no webhook secret is configured")
    stale = False
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(body, header, secret, tolerance=tolerance)
        except stripe.SignatureVerificationError as err:
            stale = stale or "tolerance" in str(err)
            continue
        ahead = signed_timestamp(header) - (time.time() if now is None else now)
        if tolerance and ahead > tolerance:
            raise Rejection(400, "future_timestamp", f"signature over {tolerance} s in the future")
        return
    if stale:
        raise Rejection(400, "stale_timestamp", f"signature older than {tolerance} s")
    raise Rejection(400, "bad_signature", "no signature matches a configured secret")


def parse_event(body: str) -> dict[str, Any]:
    """The event object in `body`, or a `Rejection` naming what is wrong with it."""
    try:
        event = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise Rejection(400, "malformed_json", f"body is not JSON: {err}"[:200]) from None
    if not isinstance(event, dict):
        raise Rejection(400, "malformed_json", "body is not a JSON object")
    event_id = event.get("id") if is_event_id(event.get("id")) else None
    try:
        return check_envelope(event)
    except EnvelopeError as err:
        raise Rejection(400, err.reason, err.detail, event_id) from None


def check_delivery(raw: bytes, header: str | None, secrets: tuple[str, ...], tolerance: int):
    """Signature first (over the exact bytes), then the JSON inside."""
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejection(400, "malformed_body", "body is not UTF-8") from None
    verify_signature(body, header, secrets, tolerance)
    return Delivery(body=body, event=parse_event(body))
