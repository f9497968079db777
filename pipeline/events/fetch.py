"""Asking Stripe what it says: one event or one object, by id, via the stripe SDK.

`StripeLookup` is what validation and processing need; `SdkLookup` answers it
with `stripe.StripeClient` retrieve calls (the SDK is the right tool for
single retrieves: typed errors, the pinned API version, `Stripe-Account`).
Every id is checked against Stripe's id shape (`pipeline.stripe_ids`) before
it goes into a path or a header: `evt_X/` or `../events/evt_X` is refused,
not fetched as `evt_X`.
Anything that answers the two methods with plain dicts will do, which keeps
the pure logic testable without a server.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import stripe

from pipeline.catalog import BY_OBJECT, StripeObject, object_for_id
from pipeline.stripe_ids import checked, path_segment


class StripeLookup(Protocol):
    def event(self, event_id: str, account: str | None) -> dict[str, Any] | None:
        """The event as Stripe has it, or None when Stripe does not know the id."""

    def object(
        self, object_id: str, account: str | None, kind: str | None = None
    ) -> dict[str, Any] | None:
        """The object as it is now (a deleted stub when deleted), None when unknown.

        `kind` is the object's `object` field ("charge"): ids alone mislead
        (a connected account's payment `py_…` is a charge)."""


def retrievable(object_id: str, kind: str | None = None) -> StripeObject | None:
    """The catalogued resource of an object when it has its own retrieve path."""
    obj = BY_OBJECT.get(kind or "") or object_for_id(object_id)
    return obj if obj is not None and obj.parent is None else None


class SdkLookup:
    """`StripeLookup` over a `stripe.StripeClient` (`base_addresses` for a sandbox)."""

    def __init__(self, client: stripe.StripeClient) -> None:
        self.client = client

    @classmethod
    def for_base(cls, api_key: str, base_url: str | None = None) -> SdkLookup:
        bases = {"api": base_url} if base_url else {}
        return cls(stripe.StripeClient(api_key, base_addresses=bases, max_network_retries=2))

    def event(self, event_id: str, account: str | None) -> dict[str, Any] | None:
        return self._get(f"/v1/events/{checked(event_id, 'event')}", account)

    def object(
        self, object_id: str, account: str | None, kind: str | None = None
    ) -> dict[str, Any] | None:
        resource = retrievable(object_id, kind)
        if resource is None:
            raise LookupError(f"no retrieve path for {object_id}")
        return self._get(f"{resource.list_path}/{path_segment(object_id)}", account)

    def _get(self, path: str, account: str | None) -> dict[str, Any] | None:
        """GET `path` (ids in it already checked) as `account`, itself checked."""
        options = {"stripe_account": checked(account, "account")} if account else {}
        try:
            response = self.client.raw_request("get", path, **options)
        except stripe.InvalidRequestError as err:
            if err.http_status == 404:
                return None
            raise
        except stripe.PermissionError as err:
            if account and err.code == "account_invalid":  # no such account for us
                return None
            raise
        return json.loads(response.body)  # the JSON as sent: no Decimal, no typed objects
