"""Judging an event by its id: Stripe's copy is the truth, every delivery is held to it.

The received bodies of an id (`events.event_deliveries`) never decide what
the event is. Stripe's copy is fetched by id (as each `Stripe-Account` the
deliveries name, until one answers), checked like any envelope, and becomes
the event: its consistency verdict (`validation.consistency`) is the
event's, and it is what processing applies. Each delivery is then `genuine`
(it matches the copy: `validation.event_differences`, plus the account) or
`forged`. Only when Stripe knows no such event is the event itself `forged`
(or `not_found` past Stripe's 30-day retention) and its deliveries with it.
An event already holding Stripe's copy only has its new deliveries judged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pipeline.catalog import EVENT_RETENTION_SECONDS
from pipeline.events.authenticity import Verdict, consistency, event_differences
from pipeline.events.fetch import StripeLookup
from pipeline.events.webhooks.envelope import check_envelope

Pending = tuple[str, str | None, str]  # a delivery: digest, account, payload


@dataclass(frozen=True)
class Waiting:
    """An event with something to judge: its own verdict, or new deliveries."""

    event_id: str
    source: str
    created: int
    account: str | None
    payload_received: str
    stripe_copy: str | None  # held already (the event was validated before)
    deliveries: tuple[Pending, ...] = ()


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict | None  # None when the event's verdict stands
    deliveries: tuple[tuple[str, str, tuple[str, ...]], ...]  # digest, verdict, fields

    def genuine_payload(self, waiting: Waiting) -> str | None:
        judged = {digest: verdict for digest, verdict, _ in self.deliveries}
        return next((p for d, _, p in waiting.deliveries if judged.get(d) == "genuine"), None)


def stripe_copy(lookup: StripeLookup, event_id: str, accounts: list[str | None]) -> dict | None:
    """Stripe's event of this id, asked as each account in turn; None when none knows it.

    A lookup that fails as one account (a forgery may name any account) does not
    stop the others; only when no account has the event is the first failure raised.
    """
    failures = []
    for account in dict.fromkeys(accounts):
        try:
            found = lookup.event(event_id, account)
        except Exception as error:  # tried as the other accounts first
            failures.append(error)
            continue
        if found is not None:
            check_envelope(found)
            if found["id"] != event_id:
                raise ValueError(f"Stripe answered {event_id} with {found['id']}")
            return found
    if failures:
        raise failures[0]
    return None


def delivery_differences(received: dict[str, Any], copy: dict[str, Any]) -> tuple[str, ...]:
    """Where a delivery departs from Stripe's copy: the envelope too, not only the object.

    `request` is compared only within one API version (it was a plain id before 2017-05-25).
    """
    fields = ["account", "livemode"]
    if received.get("api_version") == copy.get("api_version"):
        fields.append("request")
    found = [f for f in fields if received.get(f) != copy.get(f)]
    return tuple(found + event_differences(received, copy))


def judge_deliveries(waiting: Waiting, copy: dict | None, unknown: str) -> tuple:
    judged = []
    for digest, _, payload in waiting.deliveries:
        if copy is None:
            judged.append((digest, unknown, ("id",)))
            continue
        differences = delivery_differences(json.loads(payload), copy)
        judged.append((digest, "forged" if differences else "genuine", differences))
    return tuple(judged)


def judge(waiting: Waiting, lookup: StripeLookup, now: int) -> Judgement:
    """The verdict on the event (unless it stands) and on each of its new deliveries."""
    if waiting.stripe_copy is not None:
        copy = json.loads(waiting.stripe_copy)
        return Judgement(None, judge_deliveries(waiting, copy, "forged"))
    if waiting.source == "list":  # listed with our key: the payload is Stripe's copy
        copy = check_envelope(json.loads(waiting.payload_received))
    else:
        accounts = [account for _, account, _ in waiting.deliveries] or [waiting.account]
        copy = stripe_copy(lookup, waiting.event_id, accounts)
    if copy is None:
        old = waiting.created < now - EVENT_RETENTION_SECONDS
        verdict = Verdict("not_found", False) if old else Verdict("forged", False, ("id",))
        return Judgement(verdict, judge_deliveries(waiting, None, verdict.status))
    return Judgement(consistency(copy, lookup), judge_deliveries(waiting, copy, "forged"))
