"""Plain HTTP to a Stripe-like API: one GET, every page of a list, and findings.

The probe speaks only HTTP (no sandbox internals), so it can be pointed at
any base URL and key.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

PASSING = ("honoured", "vacuous", "gap")


@dataclass(frozen=True)
class Finding:
    """What the probe concluded about one parameter or expansion of one endpoint."""

    endpoint: str  # "/v1/subscriptions", "/v1/charges/{id}"
    subject: str  # "status", "status=bogus", "expand payment_intent"
    verdict: str  # honoured | vacuous (accepted; nothing in the account to tell) | gap | failed
    detail: str = ""
    doc: str = ""  # the SDK's docstring of what Stripe does

    @property
    def passed(self) -> bool:
        return self.verdict in PASSING


class Api:
    """GETs against a base URL with a key; answers as (status, JSON)."""

    def __init__(self, base_url: str, key: str) -> None:
        self.http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30
        )

    def get(self, path: str, params: dict | None = None) -> tuple[int, dict]:
        """GET with Stripe's encoding of arrays: `ids[0]=a&ids[1]=b`."""
        pairs = []
        for name, value in (params or {}).items():
            items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            pairs += [(name if i is None else f"{name}[{i}]", item) for i, item in items]
        answer = self.http.get(path, params=pairs)
        return answer.status_code, answer.json()

    def every(self, path: str, params: dict | None = None) -> list[dict] | None:
        """Every object of a list, page after page; None if the list is refused."""
        found, cursor = [], {}
        while True:
            status, body = self.get(path, {**(params or {}), "limit": 100, **cursor})
            if status != 200:
                return None
            found += body["data"]
            if not body["has_more"] or not body["data"]:
                return found
            cursor = {"starting_after": body["data"][-1]["id"]}

    def close(self) -> None:
        self.http.close()


def error_of(status: int, body: dict) -> str:
    error = body.get("error") or {}
    return f"{status} {error.get('type')} param={error.get('param')}: {error.get('message')}"


def is_unrecognized(status: int, body: dict) -> bool:
    """Stripe's answer for a path it does not serve (not a missing object)."""
    message = (body.get("error") or {}).get("message", "")
    return status == 404 and message.startswith("Unrecognized request URL")
