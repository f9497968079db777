"""Events: one per lifecycle change, kept only within Stripe's 30-day retention.

`data.object` is a snapshot of the object at the moment of the event;
updates carry `data.previous_attributes` (the changed fields' old values).
Events of a connected account carry its id in a top-level `account`.
Events older than the window are never built (they would be dropped anyway).
"""

from __future__ import annotations

from typing import Any

from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.sink import Sink
from stripe_sandbox.generator.templates import Template, snapshot
from stripe_sandbox.resources import API_VERSION

RETENTION = 30 * 86_400
EVENT = Template("events", api_version=API_VERSION, livemode=False, pending_webhooks=0)


class EventLog:
    """Writes the events of one account that fall inside the retention window."""

    def __init__(self, sink: Sink, ids: IdMaker, account: str, clock: int) -> None:
        self.sink, self.ids, self.account = sink, ids, account
        self.window_start = clock - RETENTION
        self.clock = clock

    def kept(self, t: int) -> bool:
        return self.window_start <= t <= self.clock

    def emit(
        self,
        t: int,
        event_type: str,
        obj: dict[str, Any],
        previous: dict[str, Any] | None = None,
        api_request: bool = True,
    ) -> None:
        """Record `event_type` for `obj` as it is now (no-op outside the window)."""
        if not self.kept(t):
            return
        data: dict[str, Any] = {"object": snapshot(obj)}
        if previous is not None:
            data["previous_attributes"] = snapshot(previous)
        request = {"id": None, "idempotency_key": None}
        if api_request:
            request = {"id": self.ids.new("req_", 14), "idempotency_key": self.ids.uuid4()}
        event = EVENT.new(
            created=t, data=data, id=self.ids.new("evt_"), request=request, type=event_type
        )
        if self.account:
            event["account"] = self.account
        self.sink.put(self.account, "events", event, t, filters={"type": event_type})
