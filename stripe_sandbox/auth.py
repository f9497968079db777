"""Who may ask, for which account, in which API version: checked before any route.

Stripe checks the key first (401), then the version (400), then
`Stripe-Account` (403). Without a configured key any test key is accepted.
"""

from __future__ import annotations

import base64

from stripe_sandbox import errors

KEY_PREFIXES = ("sk_test_", "rk_test_")


def api_key(headers: dict[bytes, bytes]) -> str | None:
    """The key from `Authorization: Bearer <key>` or Basic auth with the key as user."""
    value = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(credentials).decode().partition(":")[0]
        except ValueError:
            return credentials
    return None


def authorize(
    headers: dict[bytes, bytes], accounts: dict[str, str], required_key: str | None, version: str
) -> str:
    """The account a request reads ('' for the platform), or the error Stripe answers."""
    key = api_key(headers)
    if not key or not key.startswith(KEY_PREFIXES) or len(key) <= len("sk_test_"):
        raise errors.invalid_api_key(key)
    if required_key is not None and key != required_key:
        raise errors.invalid_api_key(key)
    requested = headers.get(b"stripe-version", b"").decode("latin-1")
    if requested and requested != version:
        raise errors.invalid_api_version(requested, version)
    raw_account = headers.get(b"stripe-account", b"").decode("latin-1")
    if not raw_account:
        return ""
    account = accounts.get(raw_account)
    if account is None:
        raise errors.account_invalid(key, raw_account)
    return account
