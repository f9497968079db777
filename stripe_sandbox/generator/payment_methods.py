"""PaymentMethods saved to customers: the card every customer has, and some bank debits.

Every customer's card (`customers.Card`, the `pm_…` its charges name) is a
`card` PaymentMethod attached when the customer is made. Some eur customers
later save a `sepa_debit` mandate and some usd customers a `us_bank_account`;
a few detach it again. Each saved method comes with the SetupIntent that saved
it (`setup_intents`). Methods are listed per customer; those detached, or of a
deleted customer (Stripe detaches them), are no longer listed. No money moves.
Draws come from this module's own RNG stream, ids and event log.
"""

from __future__ import annotations

import random

from stripe_sandbox.generator.cards import billing_details
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.customers import Customer
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.setup_intents import SetupIntents
from stripe_sandbox.generator.templates import Template

METHOD = Template("payment_methods", allow_redisplay="unspecified", livemode=False, metadata={})
BANK_DEBIT = {"eur": ("sepa_debit", 0.25), "usd": ("us_bank_account", 0.15)}
SEPA_BANKS = (("37040044", "DE"), ("10010010", "DE"), ("20041010", "FR"))


class PaymentMethods:
    """The saved payment methods of one account's customers."""

    def __init__(self, ctx: Context, seed: int) -> None:
        self.ctx = ctx
        self.rng = random.Random(f"{seed}:{ctx.account or 'platform'}:payment_methods")
        self.ids = IdMaker(self.rng)
        self.events = EventLog(ctx.sink, self.ids, ctx.account, ctx.clock)
        self.setups = SetupIntents(ctx, self.rng, self.ids, self.events)
        self.saved: dict[str, list[dict]] = {}  # customer id → its attached methods

    def on_customer(self, t: int, customer: Customer) -> None:
        """The new customer's card, attached; maybe a bank debit and an update to come."""
        rng, clock = self.rng, self.ctx.clock
        self.ids.now = t
        card = METHOD.new(
            billing_details=billing_details(customer.body, customer.card.country),
            card=card_hash(customer),
            created=t,
            customer=customer.id,
            id=customer.card.payment_method,
            type="card",
        )
        self.setups.abandoned(t, customer.id, "card", 0.12)
        self.ids.now = t
        self._attach(t, customer.id, card)
        kind, share = BANK_DEBIT.get(customer.currency, ("", 0.0))
        if kind and rng.random() < share:
            when = t + rng.randrange(DAY, 120 * DAY)
            if when < clock:
                self.ctx.scheduler.at(when, self._save_bank_debit, customer, kind)
        if rng.random() < 0.06:
            when = t + rng.randrange(DAY, 200 * DAY)
            if when < clock:
                self.ctx.scheduler.at(when, self._update_address, customer, card)

    def on_customer_deleted(self, customer: Customer) -> None:
        for method in self.saved.pop(customer.id, []):
            self._unlist(method)

    def _save_bank_debit(self, t: int, customer: Customer, kind: str) -> None:
        if customer.deleted:
            return
        rng = self.rng
        self.setups.abandoned(t - rng.randrange(3600, 6 * 3600), customer.id, kind, 0.3)
        self.ids.now = t
        method = METHOD.new(
            billing_details=billing_details(customer.body, customer.card.country),
            created=t,
            customer=customer.id,
            id=self.ids.new("pm_"),
            type=kind,
        )
        del method["card"]
        method[kind] = self._bank_hash(kind)
        self._attach(t, customer.id, method)
        if rng.random() < 0.2 and (when := t + rng.randrange(DAY, 60 * DAY)) < self.ctx.clock:
            self.ctx.scheduler.at(when, self._detach, customer, method)

    def _attach(self, t: int, customer_id: str, method: dict) -> None:
        self.setups.succeeded(t, customer_id, method)
        self.events.emit(t, "payment_method.attached", method)
        self.saved.setdefault(customer_id, []).append(method)
        self.ctx.keep("payment_methods", method, parent=customer_id)

    def _detach(self, t: int, customer: Customer, method: dict) -> None:
        if customer.deleted or method not in self.saved.get(customer.id, []):
            return
        self.saved[customer.id].remove(method)
        method["customer"] = None
        self.events.emit(t, "payment_method.detached", method, {"customer": customer.id})
        self._unlist(method)

    def _update_address(self, t: int, customer: Customer, method: dict) -> None:
        if customer.deleted:
            return
        self.ids.now = t
        address = method["billing_details"]["address"]
        previous = {"billing_details": {"address": dict(address)}}
        address["postal_code"] = f"{self.rng.randrange(10_000, 99_999)}"
        self.events.emit(t, "payment_method.updated", method, previous)

    def _unlist(self, method: dict) -> None:
        """No longer listed under its customer: a stub the store neither lists nor counts."""
        ctx = self.ctx
        ctx.live.pop(method["id"], None)
        stub = {"id": method["id"], "object": "payment_method", "deleted": True}
        ctx.sink.put(ctx.account, "payment_methods", stub, method["created"], deleted=True)

    def _bank_hash(self, kind: str) -> dict:
        rng, token = self.rng, self.ids.token
        last4 = f"{rng.randrange(10_000):04d}"
        if kind == "sepa_debit":
            bank, country = SEPA_BANKS[rng.randrange(len(SEPA_BANKS))]
            return {"bank_code": bank, "branch_code": "", "country": country,
                    "fingerprint": token(16), "generated_from": {"charge": None,
                    "setup_attempt": None}, "last4": last4}  # fmt: skip
        return {"account_holder_type": "individual", "account_type": "checking",
                "bank_name": "STRIPE TEST BANK", "financial_connections_account": None,
                "fingerprint": token(16), "last4": last4,
                "networks": {"preferred": "ach", "supported": ["ach"]},
                "routing_number": "110000000", "status_details": {}}  # fmt: skip


def card_hash(customer: Customer) -> dict:
    """The card's details as a PaymentMethod shows them (the same card its charges show)."""
    card = customer.card
    return {
        "brand": card.brand,
        "checks": {"address_line1_check": None, "address_postal_code_check": None,
                   "cvc_check": "pass"},
        "country": card.country,
        "display_brand": card.brand,
        "exp_month": card.exp_month,
        "exp_year": card.exp_year,
        "fingerprint": card.fingerprint,
        "funding": card.funding,
        "generated_from": None,
        "last4": card.last4,
        "networks": {"available": [card.brand], "preferred": None},
        "three_d_secure_usage": {"supported": True},
        "wallet": None,
        "regulated_status": "unregulated" if card.funding == "credit" else "regulated",
    }  # fmt: skip
