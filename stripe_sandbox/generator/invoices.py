"""Invoices: draft → open (finalized) → paid, or void / uncollectible.

Amounts stay consistent: subtotal = sum of lines, total = subtotal − discounts +
exclusive taxes (`invoice_totals`, given the account's coupons and tax rates
by `adjust`), amount_due = total, amount_paid + amount_remaining = amount_due.
Every line is stored as an `invoice_line_items` row (parent = the invoice);
the invoice embeds the first ten (`has_more` when there are more).
"""

from __future__ import annotations

from collections.abc import Callable

from stripe_sandbox.generator.charges import Charges
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.customers import Customer
from stripe_sandbox.generator.invoice_parts import invoice_payment, item_line
from stripe_sandbox.generator.invoice_totals import apply_totals
from stripe_sandbox.generator.templates import Template, embedded_list

INVOICE = Template(
    "invoices",
    account_country="US",
    account_name="Stripe Warehouse Demo",
    account_tax_ids=None,
    amount_shipping=0,
    application=None,
    automatic_tax={
        "enabled": False,
        "liability": None,
        "status": None,
        "disabled_reason": None,
        "provider": None,
    },
    collection_method="charge_automatically",
    custom_fields=None,
    customer_address=None,
    customer_phone=None,
    customer_shipping=None,
    customer_tax_exempt="none",
    customer_tax_ids=[],
    default_payment_method=None,
    default_source=None,
    default_tax_rates=[],
    description=None,
    discounts=[],
    due_date=None,
    footer=None,
    from_invoice=None,
    issuer={"type": "self"},
    last_finalization_error=None,
    latest_revision=None,
    livemode=False,
    metadata={},
    on_behalf_of=None,
    payment_settings={
        "default_mandate": None,
        "payment_method_options": None,
        "payment_method_types": None,
    },
    receipt_number=None,
    rendering=None,
    shipping_cost=None,
    shipping_details=None,
    statement_descriptor=None,
    subscription=None,
    test_clock=None,
    total_discount_amounts=[],
    total_pretax_credit_amounts=[],
    total_taxes=[],
    amount_overpaid=0,
    customer_account=None,
)
SHOWN_LINES = 10
CHARGE_DESCRIPTION = {
    "subscription_create": "Subscription creation",
    "subscription_cycle": "Subscription update",
}


class Invoices:
    """Creates and advances one account's invoices; paying one charges the customer."""

    def __init__(self, ctx: Context, charges: Charges) -> None:
        self.ctx, self.charges = ctx, charges
        self.intents: dict[str, str] = {}  # invoice id → its payment intent (all attempts)
        self.customers: dict[str, Customer] = {}  # invoice id → customer, while open
        self.adjust: Callable[[int, Customer, str | None, list[dict]], dict] | None = None
        self.on_close: Callable[[dict, dict], bool] | None = None  # credit notes: True holds it
        self.on_finalize: Callable[[int, dict], None] | None = None  # applies customer credit

    def create(
        self,
        t: int,
        customer: Customer,
        lines: list[dict],
        items: list[dict],
        reason: str,
        subscription: str | None,
        period: tuple[int, int],
    ) -> dict:
        """A draft invoice of subscription lines plus pending invoice items."""
        ctx = self.ctx
        invoice_id = ctx.ids.new("in_")
        lines = lines + [item_line(ctx, item) for item in items]
        if self.adjust:
            amounts = self.adjust(t, customer, subscription, lines)
        else:
            amounts = apply_totals(lines, None, None, None)
        total = amounts["total"]
        for line in lines:
            line["invoice"] = invoice_id
            ctx.write("invoice_line_items", line, created=t, parent=invoice_id)
        for item in items:
            item["invoice"] = invoice_id
            ctx.write("invoiceitems", item)
        parent = None
        if subscription:
            parent = {
                "quote_details": None,
                "type": "subscription_details",
                "subscription_details": {"metadata": {}, "subscription": subscription},
            }
        invoice = INVOICE.new(
            amount_due=total,
            amount_paid=0,
            amount_remaining=total,
            attempt_count=0,
            attempted=False,
            auto_advance=True,
            billing_reason=reason,
            created=t,
            currency=customer.currency,
            customer=customer.id,
            customer_email=customer.body["email"],
            customer_name=customer.body["name"],
            effective_at=None,
            ending_balance=None,
            hosted_invoice_url=None,
            id=invoice_id,
            invoice_pdf=None,
            next_payment_attempt=None,
            number=None,
            lines=embedded_list(
                f"/v1/invoices/{invoice_id}/lines", lines[:SHOWN_LINES], len(lines) > SHOWN_LINES
            ),
            period_end=period[1],
            period_start=period[0],
            post_payment_credit_notes_amount=0,
            pre_payment_credit_notes_amount=0,
            starting_balance=0,
            status="draft",
            status_transitions={
                "finalized_at": None,
                "marked_uncollectible_at": None,
                "paid_at": None,
                "voided_at": None,
            },
            webhooks_delivered_at=None,
            automatically_finalizes_at=t + 3600,
            parent=parent,
            **amounts,
        )
        self.customers[invoice_id] = customer
        ctx.events.emit(t, "invoice.created", invoice, api_request=subscription is None)
        ctx.keep("invoices", invoice, filters=_subscription_filter(invoice))
        return invoice

    def finalize(self, t: int, invoice: dict) -> None:
        """Open the invoice (numbered, with hosted URLs); a zero total is paid at once."""
        ctx, customer = self.ctx, self.customers[invoice["id"]]
        body = customer.body
        previous = {"status": "draft", "number": None, "automatically_finalizes_at": t}
        token = ctx.ids.token(40)
        invoice.update(
            automatically_finalizes_at=None,
            effective_at=t,
            ending_balance=0,
            hosted_invoice_url=f"https://invoice.stripe.com/i/{ctx.owner}/test_{token}",
            invoice_pdf=f"https://pay.stripe.com/invoice/{ctx.owner}/test_{token}/pdf",
            number=f"{body['invoice_prefix']}-{body['next_invoice_sequence']:04d}",
            status="open",
            webhooks_delivered_at=t,
        )
        body["next_invoice_sequence"] += 1
        invoice["status_transitions"]["finalized_at"] = t
        if self.on_finalize is not None:
            self.on_finalize(t, invoice)
        ctx.events.emit(t, "invoice.finalized", invoice, previous, api_request=False)
        if invoice["amount_due"] == 0:
            self._paid(t, invoice)

    def attempt(self, t: int, invoice: dict, succeed: bool, next_attempt: int | None) -> bool:
        """Charge the customer's card for the amount due; False when declined."""
        if invoice["status"] != "open":
            return invoice["status"] == "paid"
        customer = self.customers[invoice["id"]]
        intent = self.intents.setdefault(invoice["id"], self.ctx.ids.new("pi_"))
        description = CHARGE_DESCRIPTION.get(invoice["billing_reason"], "Payment for Invoice")
        charge = self.charges.charge(
            t, customer, invoice["amount_due"], description, succeed, payment_intent=intent
        )
        invoice.update(
            attempt_count=invoice["attempt_count"] + 1,
            attempted=True,
            next_payment_attempt=None if succeed else next_attempt,
        )
        if not succeed:
            self.ctx.events.emit(t, "invoice.payment_failed", invoice, api_request=False)
            return False
        invoice.update(amount_paid=invoice["amount_due"], amount_remaining=0)
        payment = invoice_payment(self.ctx, t, invoice, charge["id"])
        self.ctx.events.emit(t, "invoice_payment.paid", payment, api_request=False)
        self.ctx.write("invoice_payments", payment)
        self._paid(t, invoice)
        return True

    def _paid(self, t: int, invoice: dict) -> None:
        previous = {"status": invoice["status"], "status_transitions": {"paid_at": None}}
        invoice["status"] = "paid"
        invoice["status_transitions"]["paid_at"] = t
        self.ctx.events.emit(t, "invoice.paid", invoice, previous, api_request=False)
        self.ctx.events.emit(t, "invoice.payment_succeeded", invoice, api_request=False)
        self.close(invoice)

    def void(self, t: int, invoice: dict) -> None:
        invoice.update(status="void", next_payment_attempt=None)
        invoice["status_transitions"]["voided_at"] = t
        self.ctx.events.emit(t, "invoice.voided", invoice, {"status": "open"})
        self.close(invoice)

    def uncollectible(self, t: int, invoice: dict) -> None:
        invoice.update(status="uncollectible", next_payment_attempt=None)
        invoice["status_transitions"]["marked_uncollectible_at"] = t
        self.ctx.events.emit(
            t, "invoice.marked_uncollectible", invoice, {"status": "open"}, api_request=False
        )
        self.close(invoice)

    def close(self, invoice: dict) -> None:
        """The invoice reached a final status: store it and forget its customer."""
        self.customers.pop(invoice["id"], None)
        self.intents.pop(invoice["id"], None)
        filters = _subscription_filter(invoice)
        if self.on_close is None or not self.on_close(invoice, filters):
            self.ctx.write("invoices", invoice, filters=filters)


def _subscription_filter(invoice: dict) -> dict[str, str]:
    parent = invoice["parent"]
    if parent and parent.get("subscription_details"):
        return {"subscription": parent["subscription_details"]["subscription"]}
    return {}
