"""What changes an invoice's amounts: its subscription's discount and its customer's tax rate.

`Billing` hands `Invoices` the `totals` of this account: each new invoice's
lines get their discount and tax amounts (`invoice_totals`), and the invoice
its totals, from the coupons (`coupons`) and tax rates (`tax`) of the
account, all drawn from the billing stream.
"""

from __future__ import annotations

from stripe_sandbox.generator.billing_stream import BillingStream
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.coupons import Coupons
from stripe_sandbox.generator.customers import Customer
from stripe_sandbox.generator.invoice_totals import apply_totals
from stripe_sandbox.generator.subscriptions import Sub
from stripe_sandbox.generator.tax import TaxRates


class InvoiceAdjustments:
    """The account's coupons and tax rates, applied to its subscriptions and invoices."""

    def __init__(self, ctx: Context, seed: int, start: int, currencies: tuple[str, ...]) -> None:
        self.stream = BillingStream(ctx, seed)
        self.tax = TaxRates(self.stream, start, currencies)
        self.coupons = Coupons(self.stream, start)

    def subscribed(self, t: int, sub: Sub) -> None:
        """A new subscription: maybe a discount, and its customer's tax rate as its default."""
        self.coupons.redeem(t, sub)
        rate = self.tax.rate_for(sub.customer)
        if rate:
            sub.body["default_tax_rates"] = [rate]

    def totals(
        self, t: int, customer: Customer, subscription: str | None, lines: list[dict]
    ) -> dict:
        """The amount fields of a new invoice of `lines` (whose amounts this sets)."""
        discount, coupon = self.coupons.for_invoice(t, subscription) or (None, None)
        rate = self.tax.rate_for(customer)
        fields = apply_totals(lines, discount, coupon, rate)
        if rate and not subscription:
            fields["default_tax_rates"] = [rate]
        self.coupons.invoiced(t, subscription)
        return fields
