"""The pieces of an invoice: line items, invoice items and invoice payments."""

from __future__ import annotations

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.templates import Template
from stripe_sandbox.resources import ZERO_DECIMAL_CURRENCIES

LINE = Template(
    "invoice_line_items",
    discount_amounts=[],
    discountable=True,
    discounts=[],
    livemode=False,
    metadata={},
    pretax_credit_amounts=[],
    taxes=[],
    quantity_decimal="1",
)
ITEM = Template(
    "invoiceitems",
    discountable=True,
    discounts=[],
    livemode=False,
    metadata={},
    quantity=1,
    tax_rates=[],
    test_clock=None,
    customer_account=None,
    quantity_decimal="1",
)
PAYMENT = Template("invoice_payments", is_default=True, livemode=False)
SYMBOL = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥"}


def display(amount: int, currency: str) -> str:
    """`$49.00`, `€45.00`, `¥5,000`: how Stripe writes a price in a line description."""
    symbol = SYMBOL.get(currency, currency.upper() + " ")
    if currency in ZERO_DECIMAL_CURRENCIES:
        return f"{symbol}{amount:,}"
    return f"{symbol}{amount / 100:,.2f}"


def pricing(price: dict) -> dict:
    return {
        "price_details": {"price": price["id"], "product": price["product"]},
        "type": "price_details",
        "unit_amount_decimal": price["unit_amount_decimal"],
    }


def subscription_line(
    ctx: Context, price: dict, product_name: str, item: dict, period: tuple[int, int]
) -> dict:
    """The line for one subscription item's period (the invoice id is set on attach)."""
    amount = price["unit_amount"]
    details = {
        "invoice_item": None,
        "proration": False,
        "proration_details": {"credited_items": None},
        "subscription": item["subscription"],
        "subscription_item": item["id"],
    }
    return LINE.new(
        amount=amount,
        currency=price["currency"],
        id=ctx.ids.new("il_"),
        invoice=None,
        description=f"1 × {product_name} (at {display(amount, price['currency'])} / month)",
        period={"end": period[1], "start": period[0]},
        quantity=1,
        subscription=item["subscription"],
        subtotal=amount,
        pricing=pricing(price),
        parent={
            "invoice_item_details": None,
            "subscription_item_details": details,
            "type": "subscription_item_details",
        },
    )


def invoice_item(
    ctx: Context,
    t: int,
    customer_id: str,
    price: dict,
    amount: int,
    description: str,
    period: tuple[int, int],
    subscription: str | None,
    proration: bool,
) -> dict:
    parent = None
    if subscription:
        parent = {
            "subscription_details": {"subscription": subscription},
            "type": "subscription_details",
        }
    item = ITEM.new(
        amount=amount,
        currency=price["currency"],
        customer=customer_id,
        date=t,
        description=description,
        id=ctx.ids.new("ii_"),
        invoice=None,
        period={"end": period[1], "start": period[0]},
        proration=proration,
        parent=parent,
        pricing=pricing(price),
        net_amount=amount,
    )
    ctx.events.emit(t, "invoiceitem.created", item)
    return item


def item_line(ctx: Context, item: dict) -> dict:
    """The invoice line of a pending invoice item."""
    subscription = (item["parent"] or {}).get("subscription_details", {}).get("subscription")
    details = {
        "invoice_item": item["id"],
        "proration": item["proration"],
        "proration_details": {"credited_items": None},
        "subscription": subscription,
    }
    return LINE.new(
        amount=item["amount"],
        currency=item["currency"],
        description=item["description"],
        id=ctx.ids.new("il_"),
        invoice=None,
        period=item["period"],
        quantity=1,
        subscription=subscription,
        subtotal=item["amount"],
        pricing=item["pricing"],
        parent={
            "invoice_item_details": details,
            "subscription_item_details": None,
            "type": "invoice_item_details",
        },
    )


def invoice_payment(ctx: Context, t: int, invoice: dict, charge_id: str) -> dict:
    return PAYMENT.new(
        amount_paid=invoice["amount_paid"],
        amount_requested=invoice["amount_due"],
        created=t,
        currency=invoice["currency"],
        id=ctx.ids.new("inpay_"),
        invoice=invoice["id"],
        payment={"charge": charge_id, "type": "charge"},
        status="paid",
        status_transitions={"canceled_at": None, "paid_at": t},
    )
