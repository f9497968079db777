"""When an account's invoices get credit notes, on the account's own `credits` stream.

- A paid invoice's charge may be credited back weeks later as a refund: drawn
  when the charge is made (after any dispute is drawn), so the charge stays
  live until then; the refund goes through `refunds.refund_charge`, so its
  balance transaction joins the ledger and the payouts that follow.
- A paid invoice may be credited to the customer's balance instead, and an
  uncollectible one partly written off (a few of those notes voided later).
- Open invoices (declined renewals, days after finalization, and some a few
  hours before the clock) may get a pre-payment note: a later retry charges
  the lower `amount_due`.

The invoice a note will change is held (not written) until the note exists.
Draws and ids come from this module's own RNG, so nothing else shifts.
"""

from __future__ import annotations

import random
from dataclasses import replace

from stripe_sandbox.generator import credit_notes as notes
from stripe_sandbox.generator.charges import Charges
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.customer_balance import CustomerBalance
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.invoices import CHARGE_DESCRIPTION, Invoices
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.refunds import refund_charge

HOUR = 3600
REFUND_SHARE, BALANCE_SHARE, WRITE_OFF_SHARE, OPEN_SHARE = 0.05, 0.04, 0.6, 0.5
DUNNING_SHARE = 0.1  # of finalized invoices, credited if still open days later
REASONS = ("product_unsatisfactory", "order_change", "duplicate", None)
INVOICE_CHARGES = frozenset({*CHARGE_DESCRIPTION.values(), "Payment for Invoice"})


class Credits:
    """Plans and issues one account's credit notes and customer balance credits."""

    def __init__(
        self, ctx: Context, ledger: Ledger, charges: Charges, invoices: Invoices, seed: int
    ) -> None:
        rng = random.Random(f"{seed}:{ctx.account or 'platform'}:credits")
        ids = IdMaker(rng)
        events = EventLog(ctx.sink, ids, ctx.account, ctx.clock)
        self.ctx = replace(ctx, rng=rng, ids=ids, events=events)  # shares heap, live, sink
        self.ledger = Ledger(self.ctx, ledger.settlement)
        self.ledger.unpaid = ledger.unpaid  # the same balance, transaction ids of our own
        self.charges, self.invoices = charges, invoices
        self.balance = CustomerBalance(self.ctx)
        self.held: set[str] = set()  # invoices a planned note will change
        self.filters: dict[str, dict[str, str]] = {}  # their list filters, while held
        self.numbers: dict[str, int] = {}  # invoice id → notes issued on it
        self.planned: set[str] = set()  # kinds of note planned so far ("refund", "balance")
        self._plan_dispute = charges.plan_dispute
        charges.plan_dispute = self.plan_refund
        invoices.on_close = self.on_close
        invoices.on_finalize = self.on_finalize
        ctx.scheduler.at(ctx.clock - 6 * HOUR, self.credit_open_invoices)

    def _drawn(self, kind: str, t: int, share: float) -> bool:
        """A `share` of candidates, and the first in the last 50 days if none yet."""
        if self.ctx.rng.random() < share or (
            kind not in self.planned and t >= self.ctx.clock - 50 * DAY
        ):
            self.planned.add(kind)
            return True
        return False

    def _when(self, t: int, low: int, high: int) -> int | None:
        when = t + self.ctx.rng.randrange(low, high)
        return when if when <= self.ctx.clock - HOUR else None

    def _amount(self, invoice: dict, partial: bool) -> int:
        most = notes.creditable(invoice)
        share = self.ctx.rng.randrange(10, 60) if partial else self.ctx.rng.choice((30, 50, 100))
        return min(most, max(1, most * share // 100)) if most > 0 else 0

    def plan_refund(self, t: int, charge: dict) -> None:
        """A new charge: its dispute is drawn first; an invoice's may be credited back."""
        if self._plan_dispute is not None:
            self._plan_dispute(t, charge)
        if charge["description"] not in INVOICE_CHARGES or self.charges.pending.get(charge["id"]):
            return  # a one-off charge (most of them), or one with a dispute or refund to come
        invoice_id = next(
            (i for i, pi in self.invoices.intents.items() if pi == charge["payment_intent"]), None
        )
        if invoice_id is None or not self._drawn("refund", t, REFUND_SHARE):
            return
        when = self._when(t, 2 * DAY, 45 * DAY) or self._when(t, HOUR, 2 * DAY)
        if when is not None:
            self.held.add(invoice_id)
            invoice = self.ctx.live[invoice_id][1]
            self.charges.schedule(when, charge, self.refund_note, invoice)

    def on_finalize(self, t: int, invoice: dict) -> None:
        """Customer credit is applied; a few invoices get a note if still unpaid days later."""
        self.balance.apply_to_invoice(t, invoice)
        if self.ctx.rng.random() < DUNNING_SHARE and (when := self._when(t, DAY, 4 * DAY)):
            self.ctx.scheduler.at(when, self.dunning_note, invoice)

    def dunning_note(self, t: int, invoice: dict) -> None:
        """A pre-payment note on an invoice still open (its next retry charges less)."""
        if invoice["status"] == "open" and invoice["id"] not in self.held:
            self.ctx.ids.now = t
            self._pre_payment(t, invoice)

    def on_close(self, invoice: dict, filters: dict[str, str]) -> bool:
        """An invoice reached a final status: True (held) when a note will change it."""
        if invoice["id"] not in self.held and not self._plan_note(invoice):
            return False
        self.filters[invoice["id"]] = filters
        self.ctx.keep("invoices", invoice, filters=filters)
        return True

    def _plan_note(self, invoice: dict) -> bool:
        """Maybe credit a paid invoice to the balance, or write off part of an uncollectible one."""
        transitions, rng = invoice["status_transitions"], self.ctx.rng
        if invoice["status"] == "paid" and invoice["amount_paid"] > 0:
            paid = transitions["paid_at"]
            if not self._drawn("balance", paid, BALANCE_SHARE):
                return False
            action, when = self.balance_note, self._when(paid, DAY, 40 * DAY)
            when = when or self._when(paid, HOUR, 2 * DAY)
        elif invoice["status"] == "uncollectible":
            if rng.random() >= WRITE_OFF_SHARE:
                return False
            at = transitions["marked_uncollectible_at"]
            action, when = self.write_off_note, self._when(at, HOUR, 10 * DAY)
        else:
            return False
        if when is None:
            return False
        self.held.add(invoice["id"])
        self.ctx.scheduler.at(when, action, invoice)
        return True

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

    def credit_open_invoices(self, t: int) -> None:
        """Pre-payment notes on some invoices still open a few hours before the clock."""
        self.ctx.ids.now = t
        open_ = [self.ctx.live[i][1] for i in self.invoices.customers if i in self.ctx.live]
        open_ = [i for i in open_ if i["status"] == "open" and i["amount_remaining"] > 1]
        picked = [i for i in open_ if self.ctx.rng.random() < OPEN_SHARE] or open_[:1]
        for invoice in picked:
            self._pre_payment(t, invoice)

    def _reason(self) -> str | None:
        return self.ctx.rng.choice(REASONS)
