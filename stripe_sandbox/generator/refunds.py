"""Refunds of card charges: a negative `refund` transaction and the charge's refunds list.

A refund of a converted charge converts back at the rate of the refund's day.
"""

from __future__ import annotations

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.templates import Template

REFUND = Template(
    "refunds",
    metadata={},
    receipt_number=None,
    source_transfer_reversal=None,
    status="succeeded",
    transfer_reversal=None,
    customer_account=None,
)


def refund_charge(t: int, ctx: Context, ledger: Ledger, charge: dict, amount: int | None) -> None:
    """Refund `amount` (None: whatever is left) of a charge, never more than it has."""
    left = charge["amount"] - charge["amount_refunded"]
    amount = left if amount is None else min(amount, left)
    if amount <= 0 or charge["disputed"]:
        return
    refund_id = ctx.ids.new("re_")
    settled, currency, rate = ledger.settle(t, -amount, charge["currency"])
    txn = ledger.record(
        t,
        "refund",
        "refund",
        settled,
        currency,
        refund_id,
        description="REFUND FOR CHARGE",
        exchange_rate=rate,
    )
    refund = REFUND.new(
        amount=amount,
        balance_transaction=txn.id,
        charge=charge["id"],
        created=t,
        currency=charge["currency"],
        id=refund_id,
        payment_intent=charge["payment_intent"],
        destination_details={
            "card": {
                "reference": ctx.ids.token(23).upper(),
                "reference_status": "available",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        reason="requested_by_customer",
        customer=charge["customer"],
        payment_method=charge["payment_method"],
    )
    ctx.events.emit(t, "refund.created", refund)
    ctx.write("refunds", refund)
    previous = {"amount_refunded": charge["amount_refunded"], "refunds": charge["refunds"]}
    charge["refunds"] = _prepend(charge["refunds"], refund)
    charge["amount_refunded"] += amount
    if charge["amount_refunded"] == charge["amount"]:
        charge["refunded"] = True
        previous["refunded"] = False
    ctx.events.emit(t, "charge.refunded", charge, previous)


def _prepend(embedded: dict, item: dict, limit: int = 10) -> dict:
    """An embedded list with a new newest item (at most `limit` shown)."""
    data = [item, *embedded["data"]]
    return embedded | {"data": data[:limit], "has_more": len(data) > limit}
