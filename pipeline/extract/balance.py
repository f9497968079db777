"""`GET /v1/balance` through the listing's session (key, headers, limiter, retries).

The balance is the anchor of the balance reports: what Stripe holds per
currency, `available` + `pending` (+ `connect_reserved`), minor units.
"""

from __future__ import annotations

from typing import Any

import orjson

from pipeline.extract.client import StripeSession
from pipeline.extract.config import StripeHttp
from pipeline.extract.errors import StripeApiError
from pipeline.extract.stats import ExtractStats

BALANCE_PATH = "/v1/balance"


async def fetch_balance(
    client: StripeSession | StripeHttp, stats: ExtractStats | None = None
) -> dict[str, Any]:
    """The balance object; an HTTP error, a non-JSON answer or another object raises
    `StripeApiError` (one line, the key redacted)."""
    if isinstance(client, StripeHttp):
        async with StripeSession(client) as session:
            return await fetch_balance(session, stats)
    body = await client.get(BALANCE_PATH, {}, stats or ExtractStats())
    return parse_balance(body)


def parse_balance(body: bytes) -> dict[str, Any]:
    """The balance object of a 2xx answer's body, checked to be one."""
    try:
        balance = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise StripeApiError(200, "the answer is not JSON", path=BALANCE_PATH) from None
    kind = balance.get("object") if isinstance(balance, dict) else type(balance).__name__
    if kind != "balance":
        raise StripeApiError(
            200, f"expected a balance object, got {str(kind)[:40]!r}", path=BALANCE_PATH
        )
    return balance


def funds_by_currency(balance: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Per currency (lower case) `available`, `pending`, `connect_reserved` in minor units."""
    funds: dict[str, dict[str, int]] = {}
    for kind in ("available", "pending", "connect_reserved"):
        for fund in balance.get(kind) or []:
            per = funds.setdefault(
                fund["currency"].lower(), {"available": 0, "pending": 0, "connect_reserved": 0}
            )
            per[kind] += int(fund["amount"])
    return funds
