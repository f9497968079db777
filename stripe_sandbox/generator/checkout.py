"""Checkout Sessions: the hosted page a share of one-off purchases were paid through.

A completed session (`mode: payment`, `payment_status: paid`) names the
charge's PaymentIntent and carries one line item: the order, at an inline
one-time price. Some customers open another checkout later and leave it: it
`expired` 24 hours on, unpaid, with no PaymentIntent. Sessions move no
money: their charges do. Draws come from this module's own RNG stream, ids
and event log.
"""

from __future__ import annotations

import random

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.money import DAY, one_off_amount
from stripe_sandbox.generator.templates import Template

SESSION = Template(
    "checkout_sessions",
    after_expiration=None,
    automatic_tax={"enabled": False, "liability": None, "status": None, "provider": None},
    cancel_url="https://shop.example.com/cart",
    consent=None,
    consent_collection=None,
    custom_text=dict.fromkeys(
        ("after_submit", "shipping_address", "submit", "terms_of_service_acceptance")
    ),
    livemode=False,
    payment_method_collection="always",
    payment_method_configuration_details=None,
    payment_method_options={"card": {"request_three_d_secure": "automatic"}},
    saved_payment_method_options=None,
    shipping_address_collection=None,
    shipping_cost=None,
    success_url="https://shop.example.com/thanks?session_id={CHECKOUT_SESSION_ID}",
    total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
    ui_mode="hosted",
    adaptive_pricing={"enabled": False},
    discounts=[],
    collected_information=None,
    permissions=None,
    wallet_options=None,
    currency_conversion=None,
    managed_payments=None,
)
LINE = Template("checkout_session_line_items", adjustable_quantity=None, amount_discount=0,
                amount_tax=0, quantity=1)  # fmt: skip
CHECKOUT_SHARE = 0.3  # one-off purchases paid through Checkout
EXPIRED_SHARE = 0.06  # purchases followed by a checkout left to expire


class Checkout:
    """Checkout Sessions of one account's one-off purchases."""

    def __init__(self, ctx: Context, seed: int) -> None:
        self.ctx = ctx
        self.rng = random.Random(f"{seed}:{ctx.account or 'platform'}:checkout")
        self.ids = IdMaker(self.rng)
        self.events = EventLog(ctx.sink, self.ids, ctx.account, ctx.clock)

    def on_charge(self, t: int, charge: dict) -> None:
        """A succeeded one-off charge: maybe paid through a session, maybe another left."""
        rng, clock = self.rng, self.ctx.clock
        if rng.random() < CHECKOUT_SHARE:
            created = t - rng.randrange(60, 900)
            session = self._new(created, charge["amount"], charge, charge["description"])
            session.update(
                payment_intent=charge["payment_intent"], payment_status="paid", status="complete"
            )
            self.events.emit(t, "checkout.session.completed", session, api_request=False)
            self.ctx.write("checkout_sessions", session)
        if rng.random() < EXPIRED_SHARE:
            created = t + rng.randrange(3600, 5 * DAY)
            if created + DAY > clock:
                return
            amount = one_off_amount(rng, charge["currency"])
            session = self._new(created, amount, charge, None)
            session["status"] = "expired"
            self.events.emit(created + DAY, "checkout.session.expired", session, api_request=False)
            self.ctx.write("checkout_sessions", session)

    def _new(self, t: int, amount: int, charge: dict, order: str | None) -> dict:
        """A session of the charge's customer, paying `amount` (its line: `order`)."""
        self.ids.now = t
        session_id = self.ids.new("cs_")
        billing = charge["billing_details"] or {}
        session = SESSION.new(
            amount_subtotal=amount,
            amount_total=amount,
            created=t,
            currency=charge["currency"],
            customer=charge["customer"],
            customer_details={
                "address": billing.get("address"),
                "email": billing.get("email"),
                "name": billing.get("name"),
                "phone": None,
                "tax_exempt": "none",
                "tax_ids": [],
                "business_name": None,
                "individual_name": None,
            },
            expires_at=t + DAY,
            id=session_id,
            payment_intent=None,
            payment_status="unpaid",
            url=None,
        )
        order = order or f"Order {self.ids.token(8).upper()}"
        self._line(t, session, amount, order)
        return session

    def _line(self, t: int, session: dict, amount: int, description: str) -> None:
        currency = session["currency"]
        price = {
            "active": False, "billing_scheme": "per_unit", "created": t, "currency": currency,
            "custom_unit_amount": None, "id": self.ids.new("price_"), "livemode": False,
            "lookup_key": None, "metadata": {}, "nickname": None, "object": "price",
            "product": self.ids.new("prod_", 14), "recurring": None,
            "tax_behavior": "unspecified", "tiers_mode": None, "transform_quantity": None,
            "type": "one_time", "unit_amount": amount, "unit_amount_decimal": str(amount),
        }  # fmt: skip
        line = LINE.new(
            amount_subtotal=amount,
            amount_total=amount,
            currency=currency,
            description=description,
            id=self.ids.new("li_"),
            price=price,
            metadata={},
        )
        self.ctx.write("checkout_session_line_items", line, created=t, parent=session["id"])
