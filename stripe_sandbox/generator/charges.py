"""Card charges with their balance transactions, and their refunds.

A charge's future (refunds, a dispute) is drawn when it is made and put on
the heap; the charge is written once its last scheduled change has happened
(or at the end, as it stands at the clock). Its balance transaction is in the
account's settlement currency (`Ledger.settle`); on a connected account it
may carry the platform's application fee (`application_fees`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stripe_sandbox.generator.application_fees import ApplicationFees
from stripe_sandbox.generator.cards import DECLINE, billing_details, card_details, outcome
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.customers import Customer
from stripe_sandbox.generator.ledger import Ledger, Txn
from stripe_sandbox.generator.money import DAY, charge_available_on, charge_fees
from stripe_sandbox.generator.payment_intents import PaymentIntents
from stripe_sandbox.generator.quotas import Quotas
from stripe_sandbox.generator.refunds import refund_charge
from stripe_sandbox.generator.templates import Template, embedded_list

CHARGE = Template(
    "charges",
    application=None,
    application_fee=None,
    application_fee_amount=None,
    calculated_statement_descriptor="STRIPE* WAREHOUSE",
    fraud_details={},
    livemode=False,
    metadata={},
    on_behalf_of=None,
    receipt_email=None,
    receipt_number=None,
    review=None,
    shipping=None,
    source_transfer=None,
    statement_descriptor=None,
    statement_descriptor_suffix=None,
    transfer_data=None,
    transfer_group=None,
    source=None,
)


class Charges:
    """Makes the charges of one account and plays out their refunds."""

    def __init__(self, ctx: Context, ledger: Ledger, quotas: Quotas) -> None:
        self.ctx, self.ledger, self.quotas = ctx, ledger, quotas
        self.pending: dict[str, int] = {}  # charge id → scheduled changes still to come
        self.plan_dispute: Callable[[int, dict], None] | None = None  # set by Disputes
        self.fees_to: ApplicationFees | None = None  # the platform's, on a connected account
        self.intents: PaymentIntents | None = None  # keeps each charge's PaymentIntent current

    def charge(
        self,
        t: int,
        customer: Customer,
        amount: int,
        description: str,
        succeed: bool,
        payment_intent: str | None = None,
        application_fee_amount: int | None = None,
    ) -> dict:
        """A charge on the customer's saved card; a succeeded one credits the balance."""
        ctx, card, currency = self.ctx, customer.card, customer.currency
        charge_id = ctx.ids.new("ch_")
        auth = f"{ctx.rng.randrange(1_000_000):06d}"
        charge = CHARGE.new(
            amount=amount,
            amount_captured=amount if succeed else 0,
            amount_refunded=0,
            balance_transaction=None,
            billing_details=billing_details(customer.body, card.country),
            captured=succeed,
            created=t,
            currency=currency,
            customer=customer.id,
            description=description,
            disputed=False,
            failure_balance_transaction=None,
            failure_code=None if succeed else DECLINE[0],
            failure_message=None if succeed else DECLINE[1],
            id=charge_id,
            outcome=outcome(succeed, ctx.rng.randrange(5, 65)),
            paid=succeed,
            payment_intent=payment_intent or ctx.ids.new("pi_"),
            payment_method=card.payment_method,
            payment_method_details=card_details(card, amount, succeed, auth),
            receipt_url=f"https://pay.stripe.com/receipts/payment/{ctx.ids.token(60)}",
            refunded=False,
            refunds=embedded_list(f"/v1/charges/{charge_id}/refunds"),
            status="succeeded" if succeed else "failed",
        )
        if self.intents is not None:
            self.intents.on_charge(t, charge, shared=payment_intent is not None)
        if succeed and application_fee_amount and self.fees_to is not None:
            charge["application_fee_amount"] = application_fee_amount
            self.fees_to.collect(t, ctx.account, charge)
        if succeed:
            charge["balance_transaction"] = self._credit(t, charge).id
        ctx.events.emit(t, "charge.succeeded" if succeed else "charge.failed", charge)
        if succeed:
            self._plan_future(t, charge)
        if self.pending.get(charge_id):
            ctx.keep("charges", charge)
        else:
            ctx.write("charges", charge)
        return charge

    def _credit(self, t: int, charge: dict) -> Txn:
        """The charge's balance transaction: settled (maybe converted), less its fees."""
        amount, currency, rate = self.ledger.settle(t, charge["amount"], charge["currency"])
        fees = charge_fees(amount, currency, converted=rate is not None)
        if charge["application_fee"] and self.fees_to is not None:
            fees.append(self.fees_to.fee_detail(t, self.ledger, charge, currency))
        return self.ledger.record(
            t,
            "charge",
            "charge",
            amount,
            currency,
            charge["id"],
            fees=fees,
            available_on=charge_available_on(t),
            description=charge["description"],
            exchange_rate=rate,
        )

    def _plan_future(self, t: int, charge: dict) -> None:
        rng, quotas, amount = self.ctx.rng, self.quotas, charge["amount"]
        if quotas.take("refund_months_later", t):
            when = self.ctx.clock - rng.randrange(3, 20) * DAY - rng.randrange(DAY)
            self.schedule(when, charge, self.refund, amount)
        elif quotas.take("refund_partial", t):
            self.schedule(t + rng.randrange(DAY, 9 * DAY), charge, self.refund, amount // 2)
        elif rng.random() < 0.04:
            late = rng.random() < 0.3
            when = t + rng.randrange(30, 150) * DAY if late else t + rng.randrange(3600, 14 * DAY)
            partial = rng.random() < 0.4
            first = max(1, amount * rng.randrange(20, 80) // 100) if partial else amount
            self.schedule(when, charge, self.refund, first)
            if partial and rng.random() < 0.3:
                self.schedule(when + rng.randrange(DAY, 10 * DAY), charge, self.refund, None)
        elif self.plan_dispute is not None:
            self.plan_dispute(t, charge)

    def schedule(self, t: int, charge: dict, action: Callable[..., None], *args: Any) -> None:
        """Run `action(t, charge, *args)` at t; write the charge after its last action."""
        self.pending[charge["id"]] = self.pending.get(charge["id"], 0) + 1
        self.ctx.scheduler.at(t, self._run, charge, action, args)

    def _run(self, t: int, charge: dict, action: Callable[..., None], args: tuple) -> None:
        action(t, charge, *args)
        left = self.pending.pop(charge["id"]) - 1
        if left:
            self.pending[charge["id"]] = left
        else:
            self.ctx.write("charges", charge)

    def refund(self, t: int, charge: dict, amount: int | None) -> None:
        """Refund the charge, and the platform's application fee pro rata."""
        refund_charge(t, self.ctx, self.ledger, charge, amount)
        if charge["application_fee"] and self.fees_to is not None:
            self.fees_to.refund(t, charge, self.ledger)
