"""Stripe's answers as a unit test decides them: a `StripeLookup` over plain dicts."""

from __future__ import annotations

import copy
from typing import Any

from pipeline.stripe_ids import checked


class MemoryLookup:
    """`StripeLookup` answered from dicts keyed by (account, id): Stripe as a test knows it."""

    def __init__(self) -> None:
        self.events: dict[tuple[str | None, str], dict[str, Any]] = {}
        self.objects: dict[tuple[str | None, str], dict[str, Any]] = {}

    def event(self, event_id: str, account: str | None) -> dict[str, Any] | None:
        found = self.events.get((account, checked(event_id, "event")))
        return copy.deepcopy(found) if found is not None else None

    def object(
        self, object_id: str, account: str | None, kind: str | None = None
    ) -> dict[str, Any] | None:
        found = self.objects.get((account, object_id))
        return copy.deepcopy(found) if found is not None else None
