"""Credit notes of finalized invoices, shaped and applied as Stripe does.

A note on an open or uncollectible invoice is `pre_payment`: it lowers the
invoice's `amount_due` and `amount_remaining` and adds to its
`pre_payment_credit_notes_amount`. A note on a paid invoice is
`post_payment` (its `post_payment_credit_notes_amount`): the money goes back
as a refund of the invoice's charge or as a customer balance credit. Each
note credits the invoice's lines (`type = invoice_line_item`), so `amount`
is the sum of its lines' amounts (no discounts or taxes are credited).
"""

from __future__ import annotations

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.templates import Template, embedded_list

CREDIT_NOTE = Template(
    "credit_notes",
    amount_shipping=0,
    customer_account=None,
    discount_amount=0,
    discount_amounts=[],
    memo=None,
    metadata={},
    out_of_band_amount=None,
    pretax_credit_amounts=[],
    shipping_cost=None,
    total_taxes=[],
    voided_at=None,
)
LINE = Template(
    "credit_note_line_items",
    discount_amount=0,
    discount_amounts=[],
    metadata={},
    pretax_credit_amounts=[],
    quantity=1,
    tax_rates=[],
    taxes=[],
    type="invoice_line_item",
    unit_amount=None,
    unit_amount_decimal=None,
)
SHOWN_LINES = 10
PRE_PAYMENT = ("open", "uncollectible")


def creditable(invoice: dict) -> int:
    """The most a note can credit: what is left of the invoice, within its shown lines."""
    shown = sum(line["amount"] for line in invoice["lines"]["data"] if line["amount"] > 0)
    if invoice["status"] in PRE_PAYMENT:
        left = invoice["amount_remaining"]
    else:
        left = invoice["amount_paid"] - invoice["post_payment_credit_notes_amount"]
    return min(shown, left)


def _lines(ctx: Context, invoice: dict, amount: int) -> list[dict]:
    """Credit lines for `amount`, taking the invoice's positive lines in order."""
    lines = []
    for line in invoice["lines"]["data"]:
        part = min(amount, line["amount"])
        if part <= 0:
            continue
        amount -= part
        lines.append(
            LINE.new(
                amount=part,
                description=line["description"],
                id=ctx.ids.new("cnli_"),
                invoice_line_item=line["id"],
            )
        )
    return lines


def issue(
    ctx: Context,
    t: int,
    invoice: dict,
    note_id: str,
    amount: int,
    number: int,
    reason: str | None,
    refund: dict | None = None,
    balance_txn: str | None = None,
) -> dict:
    """Issue a note of `amount` (at most `creditable`) and apply it to the invoice."""
    pre = invoice["status"] in PRE_PAYMENT
    lines = _lines(ctx, invoice, amount)
    refunds = []
    if refund is not None:
        refunds = [
            {"amount_refunded": refund["amount"], "payment_record_refund": None,
             "refund": refund["id"], "type": "refund"}
        ]  # fmt: skip
    url = f"/v1/credit_notes/{note_id}/lines"
    note = CREDIT_NOTE.new(
        amount=amount,
        created=t,
        currency=invoice["currency"],
        customer=invoice["customer"],
        customer_balance_transaction=balance_txn,
        effective_at=t,
        id=note_id,
        invoice=invoice["id"],
        lines=embedded_list(url, lines[:SHOWN_LINES], len(lines) > SHOWN_LINES),
        livemode=False,
        number=f"{invoice['number']}-CN-{number:02d}",
        pdf=f"https://pay.stripe.com/credit_notes/{ctx.owner}/test_{ctx.ids.token(24)}/pdf",
        post_payment_amount=0 if pre else amount,
        pre_payment_amount=amount if pre else 0,
        reason=reason,
        refunds=refunds,
        status="issued",
        subtotal=amount,
        subtotal_excluding_tax=amount,
        total=amount,
        total_excluding_tax=amount,
        type="pre_payment" if pre else "post_payment",
    )
    for line in lines:
        ctx.write("credit_note_line_items", line, created=t, parent=note_id)
    ctx.events.emit(t, "credit_note.created", note)
    _apply(ctx, t, invoice, amount if pre else 0, 0 if pre else amount)
    return note


def void(ctx: Context, t: int, note: dict, invoice: dict) -> None:
    """Void a pre-payment note: the invoice owes its amount again."""
    note.update(status="void", voided_at=t)
    ctx.events.emit(t, "credit_note.voided", note, {"status": "issued", "voided_at": None})
    _apply(ctx, t, invoice, -note["pre_payment_amount"], 0)


def _apply(ctx: Context, t: int, invoice: dict, pre: int, post: int) -> None:
    """Add a note's amounts to its invoice (`invoice.updated`)."""
    previous = {
        "pre_payment_credit_notes_amount": invoice["pre_payment_credit_notes_amount"],
        "post_payment_credit_notes_amount": invoice["post_payment_credit_notes_amount"],
    }
    invoice["pre_payment_credit_notes_amount"] += pre
    invoice["post_payment_credit_notes_amount"] += post
    if pre:
        previous |= {"amount_due": invoice["amount_due"],
                     "amount_remaining": invoice["amount_remaining"]}  # fmt: skip
        invoice["amount_due"] -= pre
        invoice["amount_remaining"] -= pre
    ctx.events.emit(t, "invoice.updated", invoice, previous, api_request=False)
