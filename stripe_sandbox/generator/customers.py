"""Customers and their saved cards.

What real Stripe shows, and so what the sandbox stores: a customer saved with
a card PaymentMethod has `invoice_settings.default_payment_method = "pm_…"`
and `default_source = null`; the card itself (brand, last4, fingerprint,
expiry) is not on the customer object (`sources` is no longer rendered by
default). The pipeline reads the card from the customer's charges:
`charge.payment_method` is the same `pm_…` id and
`charge.payment_method_details.card` carries brand, last4, fingerprint,
exp_month and exp_year. A deleted customer is stored as the stub
`{"id", "object": "customer", "deleted": true}` and is not listed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.templates import Template

CUSTOMER = Template(
    "customers",
    address=None,
    balance=0,
    default_source=None,
    delinquent=False,
    description=None,
    discount=None,
    livemode=False,
    metadata={},
    next_invoice_sequence=1,
    phone=None,
    preferred_locales=[],
    shipping=None,
    tax_exempt="none",
    test_clock=None,
)
FIRST = (
    "Ada",
    "Ben",
    "Chloé",
    "Daniel",
    "Emma",
    "Felix",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kenji",
    "Laura",
    "Marta",
    "Noah",
    "Olivia",
    "Paul",
    "Rin",
    "Sofia",
    "Tom",
    "Yuki",
)
LAST = (
    "Andersen",
    "Bauer",
    "Clarke",
    "Dubois",
    "Evans",
    "Fischer",
    "García",
    "Hoffmann",
    "Ito",
    "Jensen",
    "Kato",
    "Lopez",
    "Martin",
    "Novak",
    "Okafor",
    "Petit",
    "Rossi",
    "Sato",
    "Tanaka",
    "Weber",
)
BRANDS = (("visa", 60), ("mastercard", 25), ("amex", 10), ("discover", 5))
COUNTRY = {"usd": "US", "eur": "DE", "gbp": "GB", "jpy": "JP"}


@dataclass
class Card:
    payment_method: str
    brand: str
    last4: str
    fingerprint: str
    exp_month: int
    exp_year: int
    country: str
    funding: str


@dataclass
class Customer:
    body: dict
    card: Card
    currency: str
    deleted: bool = False
    subscription: dict | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.body["id"]


def new_card(ctx: Context, t: int, currency: str) -> Card:
    rng = ctx.rng
    brand = rng.choices([b for b, _ in BRANDS], weights=[w for _, w in BRANDS])[0]
    year = time.gmtime(t).tm_year
    return Card(
        ctx.ids.new("pm_"),
        brand,
        f"{rng.randrange(10_000):04d}",
        ctx.ids.token(16),
        rng.randint(1, 12),
        year + rng.randint(1, 5),
        COUNTRY.get(currency, "US"),
        rng.choices(["credit", "debit"], weights=[7, 3])[0],
    )


def create_customer(ctx: Context, t: int, currency: str) -> Customer:
    """A customer with a saved card made its invoice default (two events, like Stripe)."""
    rng = ctx.rng
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}.{ctx.ids.token(4).lower()}@example.com"
    body = CUSTOMER.new(
        created=t,
        currency=currency,
        email=email,
        id=ctx.ids.new("cus_"),
        invoice_prefix=ctx.ids.token(8).upper(),
        name=f"{first} {last}",
        invoice_settings={
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
    )
    customer = Customer(body, new_card(ctx, t, currency), currency)
    ctx.events.emit(t, "customer.created", body)
    settings = dict(body["invoice_settings"])
    body["invoice_settings"]["default_payment_method"] = customer.card.payment_method
    ctx.events.emit(t + 1, "customer.updated", body, {"invoice_settings": settings})
    ctx.keep("customers", body)
    return customer


def update_email(ctx: Context, t: int, customer: Customer) -> None:
    if customer.deleted:
        return
    old = customer.body["email"]
    customer.body["email"] = old.replace("@example.com", ".new@example.com")
    ctx.events.emit(t, "customer.updated", customer.body, {"email": old})


def set_delinquent(ctx: Context, t: int, customer: Customer, delinquent: bool) -> None:
    if customer.deleted or customer.body["delinquent"] == delinquent:
        return
    customer.body["delinquent"] = delinquent
    ctx.events.emit(
        t, "customer.updated", customer.body, {"delinquent": not delinquent}, api_request=False
    )


def delete_customer(ctx: Context, t: int, customer: Customer) -> None:
    """Deleted for good: the event carries the last state, the store keeps the stub."""
    customer.deleted = True
    ctx.events.emit(t, "customer.deleted", customer.body)
    stub = {"id": customer.id, "object": "customer", "deleted": True}
    ctx.live.pop(customer.id, None)
    ctx.sink.put(ctx.account, "customers", stub, customer.body["created"], deleted=True)
