"""Reach the Stripe API once, quickly, before any work starts.

One `GET /v1/customers?limit=1` with a short timeout and no retries: a refused
connection, a name that does not resolve, a timeout, a refused key or a key
without read access each become one line (`PreflightError`) that names the
host and what to fix. The outcome is remembered per process, so the checks of
the partitions, the resources and the command line cost one request in all.
"""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

import httpx
import orjson

from pipeline.catalog import API_VERSION
from pipeline.extract.errors import redact
from pipeline.settings import SettingsError, mask_key

PROBE_PATH = "/v1/customers"
PROBE_TIMEOUT = 5.0
_outcomes: dict[tuple, PreflightError | None] = {}


class PreflightError(SettingsError):
    """The API could not be used with these settings (one line, key masked)."""


def _cause_chain(error: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    while error is not None and id(error) not in seen:
        chain.append(error)
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return chain


def transport_problem(error: httpx.TransportError, host: str, timeout: float) -> str:
    """What went wrong on the way to `host`, and what to check."""
    chain = _cause_chain(error)
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(error, httpx.TimeoutException):
        return f"no answer from {host} within {timeout:g} s: check STRIPE_API_BASE and the network"
    if any(isinstance(e, socket.gaierror) for e in chain) or "name or service" in text:
        return f"the host name {host!r} does not resolve (DNS): check STRIPE_API_BASE"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return f"{host} refused the connection: is the server running? check STRIPE_API_BASE"
    if any(isinstance(e, ssl.SSLError) for e in chain) or "ssl" in text:
        return f"TLS with {host} failed ({chain[-1]}): check STRIPE_API_BASE (http or https?)"
    return f"could not reach {host} ({type(error).__name__}): check STRIPE_API_BASE"


def answer_problem(response: httpx.Response, host: str, api_key: str) -> str | None:
    """None when the answer shows the key works; else what is wrong with it."""
    status = response.status_code
    if status < 300 or status == 429:  # rate limited: reached, and the key was accepted
        return None
    try:
        message = (orjson.loads(response.content).get("error") or {}).get("message") or ""
    except (orjson.JSONDecodeError, AttributeError):
        message = ""
    said = f": {redact(message, api_key)[:160]}" if message else ""
    key = mask_key(api_key)
    if status == 401:
        return f"{host} refused STRIPE_API_KEY {key} (401){said}; check the key and its mode"
    if status == 403:
        return f"STRIPE_API_KEY {key} may not read customers on {host} (403){said}; see README"
    if status == 404:
        return (f"{host} answered 404 for {PROBE_PATH}: STRIPE_API_BASE should be the API's "
                "base, without /v1")  # fmt: skip
    return f"{host} answered {status} to a first request{said}"


def check_stripe_reachable(
    api_key: str,
    api_base: str,
    stripe_account: str | None = None,
    *,
    api_version: str = API_VERSION,
    timeout: float = PROBE_TIMEOUT,
) -> None:
    """Raise `PreflightError` unless one request with this key is answered."""
    token = (api_key, api_base, stripe_account, api_version)
    if token not in _outcomes:
        _outcomes[token] = _probe(api_key, api_base, stripe_account, api_version, timeout)
    if (problem := _outcomes[token]) is not None:
        raise problem


def _probe(
    api_key: str, api_base: str, account: str | None, version: str, timeout: float
) -> PreflightError | None:
    host = urlsplit(api_base).netloc or api_base
    headers = {"Authorization": f"Bearer {api_key}", "Stripe-Version": version}
    if account:
        headers["Stripe-Account"] = account
    try:
        with httpx.Client(base_url=api_base, timeout=timeout, headers=headers) as client:
            response = client.get(PROBE_PATH, params={"limit": 1})
    except httpx.TransportError as error:
        return PreflightError(transport_problem(error, host, timeout))
    problem = answer_problem(response, host, api_key)
    return PreflightError(problem) if problem else None
