"""What every part of one simulated account shares: clock, RNG, ids, sink, events, heap."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.scheduler import Scheduler
from stripe_sandbox.generator.sink import Sink
from stripe_sandbox.resources import BY_NAME

FILTERS = {name: resource.filters for name, resource in BY_NAME.items()}


def list_filters(resource: str, obj: dict[str, Any]) -> dict[str, str]:
    """The object's list-filter values, read from its top-level fields of the same name."""
    values: dict[str, str] = {}
    for name in FILTERS[resource]:
        value = obj.get(name)
        if value.__class__ is str:
            values[name] = value
        elif isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif isinstance(value, str | int):
            values[name] = str(value)
    return values


@dataclass
class Context:
    """One account's simulation state that is not domain state."""

    account: str  # '' for the platform
    rng: random.Random
    ids: IdMaker
    clock: int
    sink: Sink
    events: EventLog
    owner: str = ""  # the account's own acct_… id (the platform's too), for URLs
    scheduler: Scheduler = field(default_factory=Scheduler)
    live: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=dict)

    def keep(self, resource: str, obj: dict[str, Any], **extra: Any) -> None:
        """Hold an object whose final state is still to come (written by `finish`)."""
        self.live[obj["id"]] = (resource, obj, extra)

    def write(
        self,
        resource: str,
        obj: dict[str, Any],
        filters: dict[str, str] | None = None,
        created: int | None = None,
        **extra: Any,
    ) -> None:
        """Store an object in its final state (drops it from the live set)."""
        self.live.pop(obj["id"], None)
        values = list_filters(resource, obj)
        if filters:
            values.update(filters)
        created = created or obj.get("created") or obj["date"]
        self.sink.put(self.account, resource, obj, created, filters=values, **extra)

    def finish(self) -> None:
        """Write every object still live: its state at the clock is its final state."""
        for resource, obj, extra in list(self.live.values()):
            self.write(resource, obj, **extra)
