"""Typed errors of the extractor; their text never carries the API key."""

from __future__ import annotations

import re

KEY_PATTERN = re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]+")


class StripeExtractError(Exception):
    """Base of every extraction failure."""


class StripeApiError(StripeExtractError):
    """Stripe answered a request with an error we do not (or no longer) retry."""

    def __init__(
        self,
        status: int | None,
        message: str,
        *,
        path: str,
        request_id: str | None = None,
        error_type: str | None = None,
        code: str | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.path = path
        self.request_id = request_id
        self.error_type = error_type
        self.code = code
        super().__init__(str(self))

    def __str__(self) -> str:
        kind = f" {self.error_type}" if self.error_type else ""
        code = f" ({self.code})" if self.code else ""
        req = f" [request {self.request_id}]" if self.request_id else ""
        return f"Stripe {self.status}{kind}{code} on GET {self.path}: {self.message}{req}"


def redact(text: str, secret: str) -> str:
    """Replace the secret, and anything that is a Stripe key, in a message."""
    if secret:
        text = text.replace(secret, "<redacted>")
    return KEY_PATTERN.sub("<redacted>", text)
