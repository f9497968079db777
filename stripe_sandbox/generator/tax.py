"""Tax rates: VAT for euro and sterling customers, US sales tax for some dollar customers.

Rates are made with the catalog (a month before the first customer); one
more state's sales tax starts a fortnight before the clock, so its
`tax_rate.created` event is in the window. A customer's rate is chosen once,
at its first invoice, from the billing stream; sterling VAT is inclusive
(prices already contain it), the others are exclusive.
"""

from __future__ import annotations

from stripe_sandbox.generator.billing_stream import BillingStream
from stripe_sandbox.generator.customers import Customer
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.templates import Template

TAX_RATE = Template(
    "tax_rates",
    active=True,
    flat_amount=None,
    livemode=False,
    metadata={},
    rate_type="percentage",
)
# currency, display name, description, country, state, jurisdiction, level, percent, inclusive
RATES = (
    ("eur", "VAT", "VAT Germany", "DE", None, "DE", "country", 19, False),
    ("gbp", "VAT", "VAT United Kingdom", "GB", None, "GB", "country", 20, True),
    ("usd", "Sales Tax", "California sales tax", "US", "CA", "US - CA", "state", 7.25, False),
)
LATE_RATE = ("usd", "Sales Tax", "New York sales tax", "US", "NY", "US - NY", "state", 8.875, False)
US_TAXED_SHARE = 0.35  # dollar customers in a state where the account collects sales tax


class TaxRates:
    """The account's tax rates and which one each customer pays."""

    def __init__(self, stream: BillingStream, start: int, currencies: tuple[str, ...]) -> None:
        self.stream, self.currencies = stream, currencies
        self.by_currency: dict[str, list[dict]] = {}
        self.of_customer: dict[str, dict | None] = {}
        t = start - 30 * DAY + 12 * 3600
        for spec in RATES:
            self._create(t, spec)
        stream.ctx.scheduler.at(stream.ctx.clock - 15 * DAY, self._create_late)

    def _create_late(self, t: int) -> None:
        self._create(t, LATE_RATE)

    def _create(self, t: int, spec: tuple) -> None:
        currency, display, description, country, state, jurisdiction, level, percent, incl = spec
        if currency not in self.currencies:
            return
        rate = TAX_RATE.new(
            country=country,
            created=t,
            description=description,
            display_name=display,
            effective_percentage=percent,
            id=self.stream.new_id("txr_"),
            inclusive=incl,
            jurisdiction=jurisdiction,
            jurisdiction_level=level,
            percentage=percent,
            state=state,
            tax_type="vat" if display == "VAT" else "sales_tax",
        )
        self.stream.emit(t, "tax_rate.created", rate)
        self.stream.ctx.write("tax_rates", rate)
        self.by_currency.setdefault(currency, []).append(rate)

    def rate_for(self, customer: Customer) -> dict | None:
        """The customer's tax rate (None: not taxed), chosen at its first invoice."""
        if customer.id not in self.of_customer:
            rates = self.by_currency.get(customer.currency, [])
            taxed = customer.currency != "usd" or self.stream.rng.random() < US_TAXED_SHARE
            pick = rates[self.stream.rng.randrange(len(rates))] if rates and taxed else None
            self.of_customer[customer.id] = pick
        return self.of_customer[customer.id]
