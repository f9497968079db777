"""Top-ups: money the platform adds to its Stripe balance from its bank account.

About once a month the platform tops up its balance in its settlement
currency (to fund transfers). A top-up is `pending` when made, with a
`topup` balance transaction (reporting category `topup`) whose funds are
available five days later, when the top-up `succeeded`. One fails after
that (the bank returned the debit): `failed`, and a `topup_reversal`
transaction takes the money back; one is `canceled` before any money moved
(no balance transaction); the last, made just before the clock, is still
`pending`. Every balance effect goes through the platform's `Ledger`, so
payouts sweep it like any other money. Draws and ids come from the
platform's own `topups` stream, so nothing else in the account moves.
"""

from __future__ import annotations

import random

from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.scheduler import Scheduler
from stripe_sandbox.generator.sink import Sink
from stripe_sandbox.generator.templates import Template

TOPUP = Template(
    "topups",
    balance_transaction=None,
    description="Top-up to fund Connect transfers",
    livemode=False,
    metadata={},
    source=None,
    statement_descriptor="TOPUP",
    status="pending",
)
AVAILABLE_AFTER = 5 * DAY
RETURNED_AFTER = 7 * DAY  # a bank debit returned after the funds were available


class Topups:
    """The platform's top-ups, planned on its scheduler, written at the end."""

    def __init__(self, seed: int, sink: Sink, ledger: Ledger, scheduler: Scheduler) -> None:
        self.rng = random.Random(f"{seed}::topups")
        self.ids = IdMaker(self.rng)
        self.events = EventLog(sink, self.ids, "", ledger.ctx.clock)
        self.sink, self.ledger, self.scheduler = sink, ledger, scheduler
        self.currency = ledger.settlement.currencies[0]  # the platform's settlement currency
        self.made: list[dict] = []

    def plan(self, start: int, clock: int) -> None:
        """One top-up about every 30 days from the start, the last one two days before the clock."""
        times = [*range(start + 12 * DAY, clock - 30 * DAY, 30 * DAY), clock - 2 * DAY]
        for n, day in enumerate(times):
            fate = {1: "failed", 2: "canceled"}.get(n, "succeeded")
            self.scheduler.at(day + self.rng.randrange(DAY), self.create, fate)

    def create(self, t: int, fate: str) -> None:
        self.ids.now = t
        amount = self.rng.randrange(20, 80) * 1000
        topup = TOPUP.new(amount=amount, created=t, currency=self.currency,
                          expected_availability_date=t + AVAILABLE_AFTER,
                          id=self.ids.new("tu_"))  # fmt: skip
        if fate == "canceled":
            topup["expected_availability_date"] = None
        else:
            txn = self.ledger.record(t, "topup", "topup", amount, self.currency, topup["id"],
                                     available_on=t + AVAILABLE_AFTER,
                                     description=topup["description"], ids=self.ids)  # fmt: skip
            topup["balance_transaction"] = txn.id
        self.events.emit(t, "topup.created", topup)
        self.made.append(topup)
        if fate == "canceled":
            self.scheduler.at(t + DAY, self.cancel, topup)
        else:
            self.scheduler.at(t + AVAILABLE_AFTER, self.succeed, topup, fate)

    def succeed(self, t: int, topup: dict, fate: str) -> None:
        self.ids.now = t
        topup["status"] = "succeeded"
        self.events.emit(t, "topup.succeeded", topup, {"status": "pending"})
        if fate == "failed":
            self.scheduler.at(t + RETURNED_AFTER - AVAILABLE_AFTER, self.fail, topup)

    def fail(self, t: int, topup: dict) -> None:
        self.ids.now = t
        self.ledger.record(t, "topup_reversal", "topup_reversal", -topup["amount"],
                           self.currency, topup["id"], description="Top-up returned by the bank",
                           ids=self.ids)  # fmt: skip
        topup.update(status="failed", failure_code="insufficient_funds",
                     failure_message="The bank account has insufficient funds.")  # fmt: skip
        self.events.emit(t, "topup.failed", topup, {"status": "succeeded"})

    def cancel(self, t: int, topup: dict) -> None:
        self.ids.now = t
        topup["status"] = "canceled"
        self.events.emit(t, "topup.canceled", topup, {"status": "pending"})

    def write(self) -> None:
        """Store each top-up in its state at the clock."""
        for topup in self.made:
            self.sink.put(
                "", "topups", topup, topup["created"], filters={"status": topup["status"]}
            )
