"""Is an event what Stripe says it is? Authenticity first, then consistency.

(a) Authenticity: re-fetch the event by id (as `Stripe-Account: <account>`
when the event carries one) and compare type, created and `data.object`
canonically (`pipeline.events.compare`). `previous_attributes` is ignored.
When the received payload names another API version than the re-fetched one,
fields present on only one side are tolerated (see `compare`), so a payload
rendered in an older version still validates. A mismatch, or an id Stripe
does not know, is `forged` — except that an unknown event created more than
30 days ago is `not_found`: Stripe no longer keeps it, so it cannot be proved
either way. Neither is ever processed.

(b) Consistency, for authentic events: compare `data.object` with the object
fetched now — `valid` (same), `object_newer` (changed since; not an error),
`deleted`, `object_not_found`, or `unchecked` (no retrieve path for the id).
All of these are `valid = true` and get processed, with the re-fetched
payload — the one that came from Stripe — as the one applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.catalog import EVENT_RETENTION_SECONDS
from pipeline.events.compare import differing_fields
from pipeline.events.fetch import StripeLookup, retrievable

EVENT_FIELDS = ("type", "created")


@dataclass(frozen=True)
class Verdict:
    status: (
        str  # valid | object_newer | deleted | object_not_found | unchecked | forged | not_found
    )
    valid: bool
    differing_fields: tuple[str, ...] = ()
    refetched: dict[str, Any] | None = field(default=None, repr=False)


def event_differences(received: dict[str, Any], refetched: dict[str, Any]) -> list[str]:
    """Fields where the received event departs from Stripe's copy."""
    found = [f for f in EVENT_FIELDS if received.get(f) != refetched.get(f)]
    tolerant = received.get("api_version") != refetched.get("api_version")
    found += differing_fields(
        received["data"]["object"],
        refetched.get("data", {}).get("object"),
        tolerant=tolerant,
        path="data.object",
    )
    return found


def authenticity(event: dict[str, Any], lookup: StripeLookup, now: int) -> Verdict:
    """`forged` or `not_found`, or a valid verdict carrying Stripe's copy of the event."""
    refetched = lookup.event(event["id"], event.get("account"))
    if refetched is None:
        if event["created"] < now - EVENT_RETENTION_SECONDS:
            return Verdict("not_found", valid=False)
        return Verdict("forged", valid=False, differing_fields=("id",))
    differences = event_differences(event, refetched)
    if differences:
        return Verdict("forged", False, tuple(differences), refetched)
    return Verdict("valid", True, (), refetched)


def consistency(refetched: dict[str, Any], lookup: StripeLookup) -> Verdict:
    """How the event's object compares with the object now."""
    snapshot = refetched["data"]["object"]
    object_id = snapshot.get("id")
    kind = snapshot.get("object")
    if not isinstance(object_id, str) or retrievable(object_id, kind) is None:
        return Verdict("unchecked", True, (), refetched)
    current = lookup.object(object_id, refetched.get("account"), kind)
    if current is None:
        return Verdict("object_not_found", True, (), refetched)
    if current.get("deleted") is True:
        return Verdict("deleted", True, ("deleted",), refetched)
    differences = differing_fields(snapshot, current, tolerant=True)
    status = "object_newer" if differences else "valid"
    return Verdict(status, True, tuple(differences), refetched)


def validate_event(
    event: dict[str, Any], lookup: StripeLookup, now: int, *, from_stripe: bool = False
) -> Verdict:
    """The verdict on one received event (its parsed JSON).

    `from_stripe=True` (events we listed from `GET /v1/events` ourselves, with
    our key) skips the re-fetch: the payload already is Stripe's copy.
    """
    if from_stripe:
        return consistency(event, lookup)
    verdict = authenticity(event, lookup, now)
    return consistency(verdict.refetched, lookup) if verdict.valid else verdict
