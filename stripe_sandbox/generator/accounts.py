"""The platform's connected accounts, as the Account objects `GET /v1/accounts` lists.

Each connected account the simulation plays (its id from `account_ids`, its
settlement currency from `build_accounts`) is an Account on the platform:
Standard, Express or Custom in turn, onboarded (charges and payouts enabled,
details submitted, card payments and transfers active), created a few days
before its catalogue. Inside the event window each one has an `account.updated`
(its support phone set). Draws come from the platform's own `connect` stream
and id maker, so nothing else in the account moves.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.sink import Sink
from stripe_sandbox.generator.templates import Template, embedded_list

ACCOUNT = Template(
    "accounts",
    business_type="company",
    capabilities={"card_payments": "active", "transfers": "active"},
    charges_enabled=True,
    details_submitted=True,
    metadata={},
    payouts_enabled=True,
)
TYPES = ("standard", "express", "custom")
COUNTRY = {"usd": "US", "eur": "DE", "gbp": "GB", "jpy": "JP", "cad": "CA", "aud": "AU"}
NAMES = ("Northwind Outfitters", "Blue Harbor Studio", "Kestrel Supply Co", "Maple & Pine")
NO_REQUIREMENTS = {"alternatives": [], "current_deadline": None, "currently_due": [],
                   "disabled_reason": None, "errors": [], "eventually_due": [], "past_due": [],
                   "pending_verification": []}  # fmt: skip


def controller(kind: str) -> dict:
    """Who controls the account: itself (Standard) or the platform's application."""
    if kind == "standard":
        return {"type": "account"}
    dashboard = "express" if kind == "express" else "none"
    return {"fees": {"payer": "application"}, "is_controller": True,
            "losses": {"payments": "application"},
            "requirement_collection": "stripe" if kind == "express" else "application",
            "stripe_dashboard": {"type": dashboard}, "type": "application"}  # fmt: skip


def connected_account(n: int, account_id: str, currency: str, created: int) -> dict:
    kind, name = TYPES[n % len(TYPES)], NAMES[n % len(NAMES)]
    slug = name.lower().replace(" & ", "-").replace(" ", "-")
    body = ACCOUNT.new(
        controller=controller(kind),
        country=COUNTRY.get(currency, "US"),
        created=created,
        default_currency=currency,
        email=f"finance@{slug}.example",
        external_accounts=embedded_list(f"/v1/accounts/{account_id}/external_accounts"),
        future_requirements=dict(NO_REQUIREMENTS),
        id=account_id,
        requirements=dict(NO_REQUIREMENTS),
        type=kind,
    )
    profile = body["business_profile"]
    profile.update(
        mcc="5734",
        name=name,
        product_description=f"{name} online store",
        support_email=f"support@{slug}.example",
        url=f"https://{slug}.example",
    )
    body["settings"]["dashboard"]["display_name"] = name
    body["settings"]["payments"]["statement_descriptor"] = name.upper()[:22]
    body["tos_acceptance"].update(date=created, ip=f"203.0.113.{10 + n}")
    return body


def write_connected_accounts(
    seed: int, sink: Sink, start: int, clock: int, connected: Sequence[tuple[str, str]]
) -> None:
    """Store the platform's Account object of each (account id, currency) it connects."""
    rng = random.Random(f"{seed}::connect")
    ids = IdMaker(rng)
    events = EventLog(sink, ids, "", clock)
    for n, (account_id, currency) in enumerate(connected):
        created = start - 30 * DAY - (n + 1) * DAY  # onboarded just before its catalogue
        ids.now = created
        account = connected_account(n, account_id, currency, created)
        updated_at = clock - rng.randrange(2 * DAY, 25 * DAY)
        ids.now = updated_at
        support = account["business_profile"]["support_phone"]
        account["business_profile"]["support_phone"] = f"+1555010{n:04d}"
        events.emit(updated_at, "account.updated", account,
                    {"business_profile": {"support_phone": support}})  # fmt: skip
        sink.put("", "accounts", account, created)
