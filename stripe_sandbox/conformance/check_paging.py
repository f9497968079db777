"""Paging and strictness, on every served list and retrieve.

`limit`, `starting_after` and `ending_before` must walk a list as Stripe
documents (newest first, pages that meet), and a parameter Stripe does not
document must be a 400 `parameter_unknown` naming it, lists and retrieves
alike.
"""

from __future__ import annotations

from stripe_sandbox.conformance.client import Api, Finding, error_of
from stripe_sandbox.conformance.discovery import Served
from stripe_sandbox.conformance.matching import UNIVERSE

PAGING_DOC = "A cursor for use in pagination (limit, starting_after, ending_before)."
UNKNOWN = "conformance_unknown"


def check_unknown_refusal(api: Api, served: Served) -> Finding:
    """A parameter Stripe does not document: 400 `parameter_unknown` naming it."""
    status, body = api.get(served.path, {UNKNOWN: "1"})
    error = body.get("error") or {}
    ok = (status, error.get("code"), error.get("param")) == (400, "parameter_unknown", UNKNOWN)
    verdict = "honoured" if ok else "failed"
    return Finding(served.endpoint.path, f"{UNKNOWN}=1", verdict, error_of(status, body))


def page_ids(api: Api, served: Served, **params) -> tuple[list[str], bool] | str:
    every = UNIVERSE.get(served.endpoint.path, {})
    status, body = api.get(served.path, {**every, **params})
    if status != 200:
        return error_of(status, body)
    return [o["id"] for o in body["data"]], body["has_more"]


def check_paging(api: Api, served: Served) -> list[Finding]:
    """Two objects a page: the first page, the next one, and back again."""
    ids = [o["id"] for o in served.objects]
    if len(ids) < 3:
        return [Finding(served.endpoint.path, "paging", "vacuous", f"{len(ids)} objects")]
    cases = (
        ("limit=2", {"limit": 2}, (ids[:2], True)),
        (f"starting_after={ids[1]}", {"limit": 2, "starting_after": ids[1]},
         (ids[2:4], len(ids) > 4)),
        (f"ending_before={ids[2]}", {"limit": 2, "ending_before": ids[2]}, (ids[:2], False)),
    )  # fmt: skip
    found = []
    for subject, params, wanted in cases:
        got = page_ids(api, served, **params)
        verdict = "honoured" if got == wanted else "failed"
        found.append(Finding(served.endpoint.path, subject, verdict, str(got)[:200], PAGING_DOC))
    return found
