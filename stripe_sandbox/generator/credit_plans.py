"""When an account's invoices get credit notes (issued by `credit_actions`).

- A paid invoice's charge may be credited back weeks later as a refund: drawn
  when the charge is made (after any dispute is drawn), so the charge stays
  live until then.
- A paid invoice may be credited to the customer's balance instead, and an
  uncollectible one partly written off (a few of those notes voided later).
- Open invoices (declined renewals, days after finalization, and some a few
  hours before the clock) may get a pre-payment note: a later retry charges
  the lower `amount_due`.
- Finalizing a subscription invoice applies the customer's credit.
"""

from __future__ import annotations

from stripe_sandbox.generator.charges import Charges
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.credit_actions import HOUR, CreditActions
from stripe_sandbox.generator.invoices import CHARGE_DESCRIPTION, Invoices
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import DAY

REFUND_SHARE, BALANCE_SHARE, WRITE_OFF_SHARE, OPEN_SHARE = 0.05, 0.04, 0.6, 0.5
DUNNING_SHARE = 0.1  # of finalized invoices, credited if still open days later
INVOICE_CHARGES = frozenset({*CHARGE_DESCRIPTION.values(), "Payment for Invoice"})


class Credits(CreditActions):
    """Plans one account's credit notes, hooked into its charges and invoices."""

    def __init__(
        self, ctx: Context, ledger: Ledger, charges: Charges, invoices: Invoices, seed: int
    ) -> None:
        super().__init__(ctx, ledger, seed)
        self.charges, self.invoices = charges, invoices
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

    def credit_open_invoices(self, t: int) -> None:
        """Pre-payment notes on some invoices still open a few hours before the clock."""
        self.ctx.ids.now = t
        open_ = [self.ctx.live[i][1] for i in self.invoices.customers if i in self.ctx.live]
        open_ = [i for i in open_ if i["status"] == "open" and i["amount_remaining"] > 1]
        picked = [i for i in open_ if self.ctx.rng.random() < OPEN_SHARE] or open_[:1]
        for invoice in picked:
            self._pre_payment(t, invoice)
