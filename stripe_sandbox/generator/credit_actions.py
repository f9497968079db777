"""Issuing an account's credit notes: a refund, a balance credit, a write-off, a void.

Each action runs at its time on the account's own `credits` stream (RNG, ids,
events), so nothing else shifts. A refund goes through
`refunds.refund_charge`, so its balance transaction joins the ledger and the
payouts that follow; a balance credit is a `customer_balance` transaction.
The invoice a note will change is held (not written) until its notes are done.
"""

from __future__ import annotations

import random
from dataclasses import replace

from stripe_sandbox.generator import credit_notes as notes
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.customer_balance import CustomerBalance
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.refunds import refund_charge

HOUR = 3600
REASONS = ("product_unsatisfactory", "order_change", "duplicate", None)


class CreditActions:
    """One account's credit notes as they are issued, and the invoices they hold."""

    def __init__(self, ctx: Context, ledger: Ledger, seed: int) -> None:
        rng = random.Random(f"{seed}:{ctx.account or 'platform'}:credits")
        ids = IdMaker(rng)
        events = EventLog(ctx.sink, ids, ctx.account, ctx.clock)
        self.ctx = replace(ctx, rng=rng, ids=ids, events=events)  # shares heap, live, sink
        self.ledger = Ledger(self.ctx, ledger.settlement)
        self.ledger.unpaid = ledger.unpaid  # the same balance, transaction ids of our own
        self.balance = CustomerBalance(self.ctx)
        self.held: set[str] = set()  # invoices a planned note will change
        self.filters: dict[str, dict[str, str]] = {}  # their list filters, while held
        self.numbers: dict[str, int] = {}  # invoice id → notes issued on it

    def _when(self, t: int, low: int, high: int) -> int | None:
        when = t + self.ctx.rng.randrange(low, high)
        return when if when <= self.ctx.clock - HOUR else None

    def _amount(self, invoice: dict, partial: bool) -> int:
        most = notes.creditable(invoice)
        share = self.ctx.rng.randrange(10, 60) if partial else self.ctx.rng.choice((30, 50, 100))
        return min(most, max(1, most * share // 100)) if most > 0 else 0

    def _reason(self) -> str | None:
        return self.ctx.rng.choice(REASONS)

    def _release(self, invoice: dict) -> None:
        """The held invoice's notes are done: write it."""
        self.held.discard(invoice["id"])
        self.ctx.write("invoices", invoice, filters=self.filters.pop(invoice["id"]))

    def _issue(self, t: int, invoice: dict, note_id: str, amount: int, **source: dict | str):
        """Issue the invoice's next note (numbered `-CN-01`, `-CN-02`, …)."""
        number = self.numbers[invoice["id"]] = self.numbers.get(invoice["id"], 0) + 1
        return notes.issue(self.ctx, t, invoice, note_id, amount, number, self._reason(), **source)

    def refund_note(self, t: int, charge: dict, invoice: dict) -> None:
        ctx = self.ctx
        ctx.ids.now = t
        amount = min(self._amount(invoice, False), charge["amount"] - charge["amount_refunded"])
        if amount > 0 and not charge["disputed"]:
            note_id = ctx.ids.new("cn_")
            refund_charge(t, ctx, self.ledger, charge, amount)
            refund = charge["refunds"]["data"][0]
            ctx.write("credit_notes", self._issue(t, invoice, note_id, amount, refund=refund))
        self._release(invoice)

    def balance_note(self, t: int, invoice: dict) -> None:
        ctx = self.ctx
        ctx.ids.now = t
        note_id, amount = ctx.ids.new("cn_"), self._amount(invoice, True)
        txn = self.balance.add(t, invoice["customer"], -amount, "credit_note", credit_note=note_id)
        if txn is not None:
            note = self._issue(t, invoice, note_id, amount, balance_txn=txn["id"])
            ctx.write("credit_notes", note)
            if ctx.rng.random() < 0.5 and (when := self._when(t, DAY, 20 * DAY)):
                ctx.scheduler.at(when, self.balance.goodwill, invoice["customer"], amount)
        self._release(invoice)

    def write_off_note(self, t: int, invoice: dict) -> None:
        ctx = self.ctx
        ctx.ids.now = t
        note = self._pre_payment(t, invoice)
        if note is not None and ctx.rng.random() < 0.3 and (when := self._when(t, DAY, 5 * DAY)):
            ctx.scheduler.at(when, self.void_note, note, invoice)
            return
        self._release(invoice)

    def void_note(self, t: int, note: dict, invoice: dict) -> None:
        self.ctx.ids.now = t
        notes.void(self.ctx, t, note, invoice)
        self.ctx.write("credit_notes", note)
        self._release(invoice)

    def _pre_payment(self, t: int, invoice: dict) -> dict | None:
        amount = self._amount(invoice, True)
        if amount <= 0:
            return None
        ctx = self.ctx
        note = self._issue(t, invoice, ctx.ids.new("cn_"), amount)
        ctx.keep("credit_notes", note)  # written at the clock, or when voided
        return note

    def dunning_note(self, t: int, invoice: dict) -> None:
        """A pre-payment note on an invoice still open (its next retry charges less)."""
        if invoice["status"] == "open" and invoice["id"] not in self.held:
            self.ctx.ids.now = t
            self._pre_payment(t, invoice)
