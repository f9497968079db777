"""Stripe ids: one check, made before an id goes into a URL path, a header or SQL.

Stripe's generated ids are a lower-case prefix, `_`, and letters and digits
(`evt_1NG8Du2eZvKYlo2C`, `acct_1Mv0…`). Some objects take ids their owner
chose (products, prices, plans, coupons), so an object id is only held to
what is safe as one URL path segment: ASCII letters, digits, `_`, `-` and
`.`, not starting with `.`. An id that fails is refused, never cleaned up.
"""

from __future__ import annotations

import re
from typing import Any

MAX_ID_LENGTH = 255
EVENT_ID = re.compile(r"evt_[A-Za-z0-9]{1,250}")
ACCOUNT_ID = re.compile(r"acct_[A-Za-z0-9]{1,250}")
CUSTOMER_ID = re.compile(r"cus_[A-Za-z0-9]{1,250}")
OBJECT_ID = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,254}")


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


def checked(value: Any, kind: str) -> str:
    """`value` when it is an id of `kind` (`event`, `account`, `object`), else InvalidStripeId."""
    test = {"event": is_event_id, "account": is_account_id, "object": is_object_id}[kind]
    if not test(value):
        raise InvalidStripeId(f"not a Stripe {kind} id: {str(value)[:80]!r}")
    return value
