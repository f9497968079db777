"""Customer balance transactions: credits and debits of a customer's invoice balance.

`customer.balance` is in the customer's currency and always equals the sum of
its transactions' amounts (the `ending_balance` of the latest); a negative
amount is a credit. Credit notes credit it (`credit_note`), the next
subscription invoice uses it (`applied_to_invoice`), support staff adjust it
(`adjustment`: goodwill credits and their corrections, and a welcome credit
for some new customers, the newest always). Transactions are listed per
customer (`/v1/customers/{id}/balance_transactions`, newest first, stored
with the customer as parent) and written at the clock, for customers not
deleted by then.
"""

from __future__ import annotations

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.templates import Template

BALANCE_TXN = Template(
    "customer_balance_transactions",
    checkout_session=None,
    credit_note=None,
    customer_account=None,
    description=None,
    invoice=None,
    metadata={},
)


class CustomerBalance:
    """One account's customer balance transactions, held until the clock."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.held: list[dict] = []
        ctx.scheduler.at(ctx.clock - DAY, self.welcome_credits)
        ctx.scheduler.at(ctx.clock, self.write_all)

    def customer(self, customer_id: str) -> dict | None:
        """The customer's live body; None once it is deleted."""
        entry = self.ctx.live.get(customer_id)
        return entry[1] if entry and entry[0] == "customers" else None

    def add(
        self,
        t: int,
        customer_id: str,
        amount: int,
        kind: str,
        *,
        credit_note: str | None = None,
        invoice: str | None = None,
        description: str | None = None,
    ) -> dict | None:
        """Move the customer's balance by `amount` (negative: a credit); None if deleted."""
        body = self.customer(customer_id)
        if body is None or amount == 0:
            return None
        previous = body["balance"]
        body["balance"] = previous + amount
        txn = BALANCE_TXN.new(
            amount=amount,
            created=t,
            credit_note=credit_note,
            currency=body["currency"],
            customer=customer_id,
            description=description,
            ending_balance=body["balance"],
            id=self.ctx.ids.new("cbtxn_"),
            invoice=invoice,
            type=kind,
        )
        self.held.append(txn)
        self.ctx.events.emit(t, "customer.updated", body, {"balance": previous})
        return txn

    def apply_to_invoice(self, t: int, invoice: dict) -> None:
        """At finalization the customer's credit pays what it can of a subscription invoice.

        The invoice records the balance before and after (`starting_balance`,
        `ending_balance`) and owes that much less; the balance moves by an
        `applied_to_invoice` transaction. Manual invoices are left alone: some
        are voided, which would take an `unapplied_from_invoice` we do not make.
        """
        body = self.customer(invoice["customer"])
        if body is None or body["balance"] >= 0 or invoice["amount_due"] <= 0:
            return
        if invoice["billing_reason"] == "manual":
            return
        self.ctx.ids.now = t
        applied = min(-body["balance"], invoice["amount_due"])
        invoice["starting_balance"] = body["balance"]
        self.add(t, body["id"], applied, "applied_to_invoice", invoice=invoice["id"])
        invoice.update(
            ending_balance=body["balance"],
            amount_due=invoice["amount_due"] - applied,
            amount_remaining=invoice["amount_remaining"] - applied,
        )

    def goodwill(self, t: int, customer_id: str, credited: int) -> None:
        """A support agent's adjustment: a small extra credit, or a correction of one."""
        self.ctx.ids.now = t
        amount, description = -max(1, credited // 4), "Goodwill credit"
        body = self.customer(customer_id)
        if body is not None and self.ctx.rng.random() < 0.3 and body["balance"] < -1:
            amount, description = -body["balance"] // 2, "Correction of a credit"
        self.add(t, customer_id, amount, "adjustment", description=description)

    def welcome_credits(self, t: int) -> None:
        """A welcome credit for some customers of the last weeks, the newest always."""
        self.ctx.ids.now = t
        recent = [body for resource, body, _ in self.ctx.live.values()
                  if resource == "customers" and body["created"] >= t - 45 * DAY]  # fmt: skip
        recent.sort(key=lambda body: (body["created"], body["id"]))
        for n, body in enumerate(reversed(recent)):
            if n == 0 or self.ctx.rng.random() < 0.15:
                self.add(t, body["id"], -500, "adjustment", description="Welcome credit")

    def write_all(self, t: int) -> None:
        """Store every transaction of a customer still there at the clock, newest first.

        A nested list is served in store order: Stripe lists these newest first.
        """
        for txn in reversed(self.held):
            if self.customer(txn["customer"]) is not None:
                self.ctx.write(
                    "customer_balance_transactions", txn, created=txn["created"],
                    parent=txn["customer"],
                )  # fmt: skip
        self.held = []
