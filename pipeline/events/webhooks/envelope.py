"""The event envelope Stripe sends, as types: what a delivery must be to be stored.

Checked before a delivery is acknowledged, again when landed records are taken
into the warehouse, and on Stripe's own re-fetched copy, so no value that a
column or a URL cannot hold gets further than this. The fields and their types
are those of the pinned SDK's `stripe.Event` (`stripe/_event.py`): `id` (an
`evt_` id), `object` ("event"), `type`, `created` (Unix seconds), `livemode`,
`api_version`, `account` (an `acct_` id), `pending_webhooks`, `request` (an
object of two nullable strings; a plain request id before API version
2017-05-25), `context`, and `data` holding the `object` and its
`previous_attributes`. Anything else in the body is left as it is.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.stripe_ids import is_account_id, is_event_id, is_object_id

MAX_CREATED = 2**32  # Unix seconds before 2106; bigint columns hold far more
EVENT_TYPE = re.compile(r"[a-z0-9_]{1,100}(\.[a-z0-9_]{1,100}){1,6}")
API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}[A-Za-z0-9._;= -]{0,80}")  # 2026-10-28.endive
REQUIRED = ("id", "type", "created")


class EnvelopeError(ValueError):
    """What is wrong with an event envelope; `reason` is `missing_fields` or `invalid_fields`."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _optional(check):
    return lambda value: value is None or check(value)


def _short_string(value: Any, limit: int = 500) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _integer(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value < high


def _request(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_optional(_short_string)(value.get(k)) for k in ("id", "idempotency_key"))
    return _short_string(value)


FIELD_CHECKS = {
    "id": is_event_id,
    "object": lambda v: v == "event",
    "type": lambda v: isinstance(v, str) and EVENT_TYPE.fullmatch(v) is not None,
    "created": lambda v: _integer(v, 0, MAX_CREATED),
    "livemode": lambda v: isinstance(v, bool),
    "api_version": _optional(lambda v: isinstance(v, str) and API_VERSION.fullmatch(v)),
    "account": _optional(is_account_id),
    "pending_webhooks": lambda v: _integer(v, 0, 2**31),
    "request": _optional(_request),
    "context": _optional(_short_string),
}


def _data_problems(data: Any) -> list[str]:
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        return ["data.object"]
    obj, problems = data["object"], []
    if "id" in obj and not is_object_id(obj["id"]):
        problems.append("data.object.id")
    if "object" in obj and not _short_string(obj["object"], 100):
        problems.append("data.object.object")
    if not _optional(lambda v: isinstance(v, dict))(data.get("previous_attributes")):
        problems.append("data.previous_attributes")
    return problems


def check_envelope(event: Any) -> dict[str, Any]:
    """`event` when its envelope has Stripe's types, else `EnvelopeError` naming the fields."""
    if not isinstance(event, dict):
        raise EnvelopeError("invalid_fields", "the event is not a JSON object")
    missing = [f for f in REQUIRED if event.get(f) in (None, "")]
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        missing.append("data.object")
    if missing:
        raise EnvelopeError("missing_fields", "missing " + ", ".join(missing))
    invalid = [f for f, ok in FIELD_CHECKS.items() if f in event and not ok(event[f])]
    invalid += _data_problems(data)
    if invalid:
        raise EnvelopeError("invalid_fields", "wrong type or shape: " + ", ".join(invalid))
    return event
