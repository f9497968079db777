"""Handlers per event type: the counterpart of django-stripe-payments' signals.

A handler is a function of the event (Stripe's copy, as a dict) and the open
DuckDB connection. Processing calls it once per valid event of its type,
inside a transaction that also records that it ran: what it writes through
`conn` is committed together with that record, or not at all. If it raises,
the transaction is rolled back, the failure becomes a `handler` row in
`events.event_processing_exceptions`, the event's status becomes
`handler_failed`, and `pipeline.events.reprocess.reprocess` calls it again
later. A handler that succeeded is never called again for the same event.

To add one, put it in any module imported before processing runs (for
example `pipeline/events/handlers_billing.py`, imported from the Dagster
definitions) and decorate it:

    from pipeline.events.handlers import on

    @on("charge.refunded")
    def note_refund(event, conn):
        conn.execute("insert into my_schema.refunds values (?)", [event["id"]])

`@on("*")` receives every event type; one function may carry several `@on`.
Handler names (`module.qualname`) identify runs, so they must be unique (two
lambdas in one module are refused); renaming a handler makes it run again for
past events only if they are reprocessed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb

Handler = Callable[[dict[str, Any], duckdb.DuckDBPyConnection], None]
WILDCARD = "*"


class HandlerRegistry:
    """Event type → handlers, in registration order."""

    def __init__(self) -> None:
        self._by_type: dict[str, list[Handler]] = {}

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            name = handler_name(handler)
            for other in self.all_handlers():
                if other is not handler and handler_name(other) == name:
                    raise ValueError(f"another handler is already named {name}")
            handlers = self._by_type.setdefault(event_type, [])
            if handler not in handlers:
                handlers.append(handler)
            return handler

        return register

    def handlers_for(self, event_type: str) -> list[Handler]:
        return [*self._by_type.get(event_type, ()), *self._by_type.get(WILDCARD, ())]

    def all_handlers(self) -> list[Handler]:
        return [h for handlers in self._by_type.values() for h in handlers]


def handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


REGISTRY = HandlerRegistry()
on = REGISTRY.on
