"""Products and prices: monthly plans in every currency plus one-time add-ons.

Subscription items embed the full price and the legacy `plan` object that
Stripe still renders from a monthly price (same id, amount and interval).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.templates import Template

PRODUCT = Template(
    "products",
    images=[],
    livemode=False,
    marketing_features=[],
    metadata={},
    package_dimensions=None,
    shippable=None,
    statement_descriptor=None,
    tax_code=None,
    unit_label=None,
    url=None,
    type="service",
)
PRICE = Template(
    "prices",
    billing_scheme="per_unit",
    custom_unit_amount=None,
    livemode=False,
    lookup_key=None,
    metadata={},
    nickname=None,
    tax_behavior="unspecified",
    tiers_mode=None,
    transform_quantity=None,
)

# name, description, unit amount per currency (minor units; yen are whole yen)
PLANS = (
    (
        "Starter",
        "For small teams getting started",
        {"usd": 1900, "eur": 1700, "gbp": 1500, "jpy": 2000},
    ),
    ("Pro", "For growing teams", {"usd": 4900, "eur": 4500, "gbp": 3900, "jpy": 5000}),
    (
        "Business",
        "Advanced features and priority support",
        {"usd": 9900, "eur": 8900, "gbp": 7900, "jpy": 10000},
    ),
)
LATE_PLAN = (
    "Enterprise",
    "Dedicated support and SSO",
    {"usd": 29900, "eur": 27900, "gbp": 23900, "jpy": 30000},
)
ADD_ONS = (
    (
        "Onboarding session",
        "One-hour onboarding call",
        {"usd": 15000, "eur": 13500, "gbp": 11900, "jpy": 15000},
    ),
    (
        "Extra seats pack",
        "Five additional seats",
        {"usd": 2500, "eur": 2300, "gbp": 1900, "jpy": 2500},
    ),
)


@dataclass
class Catalog:
    """The account's prices, by currency; `plans` are monthly, `add_ons` one-time."""

    plans: dict[str, list[dict]] = field(default_factory=dict)
    add_ons: dict[str, list[dict]] = field(default_factory=dict)
    products: dict[str, dict] = field(default_factory=dict)


def create_product(ctx: Context, catalog: Catalog, t: int, spec: tuple, recurring: bool) -> None:
    """One product and its price in every currency (its USD price is the default)."""
    name, description, amounts = spec
    product = PRODUCT.new(
        active=True,
        created=t,
        default_price=None,
        description=description,
        id=ctx.ids.new("prod_"),
        name=name,
        updated=t,
    )
    ctx.events.emit(t, "product.created", product)
    catalog.products[product["id"]] = product
    for currency in sorted(amounts, key=lambda c: c != "usd"):
        amount = amounts[currency]
        interval = {
            "interval": "month",
            "interval_count": 1,
            "meter": None,
            "usage_type": "licensed",
            "trial_period_days": None,
        }
        price = PRICE.new(
            active=True,
            created=t,
            currency=currency,
            id=ctx.ids.new("price_"),
            product=product["id"],
            recurring=interval if recurring else None,
            type="recurring" if recurring else "one_time",
            unit_amount=amount,
            unit_amount_decimal=str(amount),
        )
        ctx.events.emit(t, "price.created", price)
        ctx.write("prices", price)
        (catalog.plans if recurring else catalog.add_ons).setdefault(currency, []).append(price)
        if product["default_price"] is None:
            previous = {"default_price": None, "updated": t}
            product.update(default_price=price["id"], updated=t + 1)
            ctx.events.emit(t + 1, "product.updated", product, previous)
    ctx.keep("products", product)


def create_catalog(ctx: Context, start: int, currencies: tuple[str, ...]) -> Catalog:
    catalog = Catalog()
    t = start - 30 * DAY
    for spec in PLANS:
        create_product(ctx, catalog, t, _only(spec, currencies), recurring=True)
        t += 3600
    for spec in ADD_ONS:
        create_product(ctx, catalog, t, _only(spec, currencies), recurring=False)
        t += 3600
    return catalog


def launch_late_plan(t: int, ctx: Context, catalog: Catalog, currencies: tuple[str, ...]) -> None:
    create_product(ctx, catalog, t, _only(LATE_PLAN, currencies), recurring=True)


def _only(spec: tuple, currencies: tuple[str, ...]) -> tuple:
    name, description, amounts = spec
    return name, description, {c: a for c, a in amounts.items() if c in currencies}


def plan_of(price: dict) -> dict:
    """The legacy `plan` rendering of a monthly price."""
    recurring = price["recurring"]
    return {
        "active": price["active"],
        "amount": price["unit_amount"],
        "amount_decimal": price["unit_amount_decimal"],
        "billing_scheme": "per_unit",
        "created": price["created"],
        "currency": price["currency"],
        "id": price["id"],
        "interval": recurring["interval"],
        "interval_count": recurring["interval_count"],
        "livemode": False,
        "metadata": {},
        "meter": None,
        "nickname": None,
        "object": "plan",
        "product": price["product"],
        "tiers_mode": None,
        "transform_usage": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }
