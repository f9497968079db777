"""An invoice's discounts and taxes, line by line, and the totals they make.

Stripe's arithmetic, in integer minor units: a discount is shared among the
discountable lines (never prorations), a percent off rounded per line, an
amount off split in proportion (the remainder on the last line, never more
than the lines); a tax rate applies to each line after its discount,
rounded per line (half away from zero): exclusive taxes are added on top,
inclusive ones are already in the amount. So `total = subtotal − discounts
+ exclusive taxes` on every invoice, and `amount_due` (what is charged) is
the total.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _line_discounts(lines: list[dict], coupon: dict) -> list[int]:
    amounts = [line["amount"] if line["discountable"] else 0 for line in lines]
    base = sum(a for a in amounts if a > 0)
    if coupon["percent_off"] is not None:
        percent = Decimal(str(coupon["percent_off"]))
        return [_round(a * percent / 100) if a > 0 else 0 for a in amounts]
    off = min(coupon["amount_off"], base)
    shares = [off * a // base if a > 0 and base else 0 for a in amounts]
    positive = [n for n, a in enumerate(amounts) if a > 0]
    if positive:
        shares[positive[-1]] += off - sum(shares)
    return shares


def _line_tax(amount: int, rate: dict) -> dict:
    percent = Decimal(str(rate["percentage"]))
    if rate["inclusive"]:
        tax = _round(amount * percent / (100 + percent))
        taxable = amount - tax
    else:
        tax, taxable = _round(amount * percent / 100), amount
    return {
        "amount": tax,
        "tax_behavior": "inclusive" if rate["inclusive"] else "exclusive",
        "tax_rate_details": {"tax_rate": rate["id"]},
        "taxability_reason": "standard_rated",
        "taxable_amount": taxable,
        "type": "tax_rate_details",
    }


def apply_totals(lines: list[dict], discount: dict | None, coupon: dict | None,
                 rate: dict | None) -> dict:  # fmt: skip
    """Set each line's discount and tax amounts; return the invoice's amount fields."""
    for line in lines:
        proration = (line["parent"] or {}).get("invoice_item_details") or {}
        line["discountable"] = not proration.get("proration", False)
    shares = _line_discounts(lines, coupon) if discount and coupon else [0] * len(lines)
    exclusive = inclusive = inclusive_before_discount = 0
    for line, share in zip(lines, shares, strict=True):
        if discount and line["discountable"]:
            line["discount_amounts"] = [{"amount": share, "discount": discount["id"]}]
            line["pretax_credit_amounts"] = [_pretax(share, discount)]
        if rate:
            tax = _line_tax(line["amount"] - share, rate)
            line["taxes"] = [tax]
            if rate["inclusive"]:
                inclusive += tax["amount"]
                inclusive_before_discount += _line_tax(line["amount"], rate)["amount"]
            else:
                exclusive += tax["amount"]
    subtotal, discounted = sum(line["amount"] for line in lines), sum(shares)
    total = subtotal - discounted + exclusive
    return {
        "discounts": [discount["id"]] if discount else [],
        "subtotal": subtotal,
        "subtotal_excluding_tax": subtotal - inclusive_before_discount,
        "total": total,
        "total_discount_amounts": [{"amount": discounted, "discount": discount["id"]}]
        if discount
        else [],
        "total_excluding_tax": total - exclusive - inclusive,
        "total_pretax_credit_amounts": [_pretax(discounted, discount)] if discount else [],
        "total_taxes": [_total_tax(lines, rate)] if rate else [],
    }


def _pretax(amount: int, discount: dict) -> dict:
    return {
        "amount": amount,
        "credit_balance_transaction": None,
        "discount": discount["id"],
        "type": "discount",
    }


def _total_tax(lines: list[dict], rate: dict) -> dict:
    taxes = [line["taxes"][0] for line in lines]
    return taxes[0] | {
        "amount": sum(t["amount"] for t in taxes),
        "taxable_amount": sum(t["taxable_amount"] for t in taxes),
    }
