"""Stripe ids: one check, made before an id goes into a URL path, a header or SQL.

Stripe's generated ids are a lower-case prefix, `_`, and letters and digits
(`evt_1NG8Du2eZvKYlo2C`, `acct_1Mv0…`). Some objects take ids their owner
chose (products, plans, coupons: `Gold Plan`, `25%OFF`), so an object id is
only held to being text of at most 255 characters without control
characters or a leading `.`; `path_segment` percent-encodes it before it goes
into a URL. An id that fails is refused, never cleaned up.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

MAX_ID_LENGTH = 255
EVENT_ID = re.compile(r"evt_[A-Za-z0-9]{1,250}")
ACCOUNT_ID = re.compile(r"acct_[A-Za-z0-9]{1,250}")
CUSTOMER_ID = re.compile(r"cus_[A-Za-z0-9]{1,250}")
OBJECT_ID = re.compile(r"[^.\x00-\x1f\x7f][^\x00-\x1f\x7f]{0,254}")


class InvalidStripeId(ValueError):
    """An id that does not have the shape Stripe gives such ids."""


def is_event_id(value: Any) -> bool:
    return isinstance(value, str) and EVENT_ID.fullmatch(value) is not None


def is_account_id(value: Any) -> bool:
    return isinstance(value, str) and ACCOUNT_ID.fullmatch(value) is not None


def is_customer_id(value: Any) -> bool:
    return isinstance(value, str) and CUSTOMER_ID.fullmatch(value) is not None


def is_object_id(value: Any) -> bool:
    return isinstance(value, str) and OBJECT_ID.fullmatch(value) is not None


def path_segment(object_id: Any) -> str:
    """An object id checked and percent-encoded as one URL path segment (`/` included)."""
    return quote(checked(object_id, "object"), safe="")


def checked(value: Any, kind: str) -> str:
    """`value` when it is an id of `kind` (`event`, `account`, `object`), else InvalidStripeId."""
    test = {"event": is_event_id, "account": is_account_id, "object": is_object_id}[kind]
    if not test(value):
        raise InvalidStripeId(f"not a Stripe {kind} id: {str(value)[:80]!r}")
    return value
