"""The billing domain's own draws: an RNG, ids and events that shift no other object.

Coupons, tax rates and discounts were added to an account whose other
objects already had their ids and amounts; drawing them from the account's
RNG would move every later draw. They use this stream instead, seeded from
the config seed and the account, with its own `IdMaker` and `EventLog`
(writing to the same sink), stamped at the account's current time.
"""

from __future__ import annotations

import random
from typing import Any

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker


class BillingStream:
    """Random draws, ids and events of the billing additions of one account."""

    def __init__(self, ctx: Context, seed: int) -> None:
        self.ctx = ctx
        self.rng = random.Random(f"{seed}:{ctx.account or 'platform'}:billing")
        self.ids = IdMaker(self.rng)
        self.events = EventLog(ctx.sink, self.ids, ctx.account, ctx.clock)

    def new_id(self, prefix: str, length: int = 24) -> str:
        self.ids.now = self.ctx.ids.now
        return self.ids.new(prefix, length)

    def emit(self, t: int, event_type: str, obj: dict[str, Any], *args: Any, **kw: Any) -> None:
        self.ids.now = t
        self.events.emit(t, event_type, obj, *args, **kw)
