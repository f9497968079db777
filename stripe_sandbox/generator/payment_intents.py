"""PaymentIntents: one for every `pi_…` a charge names, kept current as its charges happen.

A one-off charge's intent is created seconds before it and ends `succeeded`
(or `requires_payment_method` after a decline, later `canceled` for some);
an invoice's intent is shared by its attempts and stays open while they fail.
Some checkouts never reach a charge: abandoned (`requires_payment_method`),
`canceled`, or `processing` near the clock. Older direct charges name none
(a connected account's incoming payments). Intents move no money: the balance
moves with their charges. Draws come from this domain's own RNG stream and
ids, and its events from its own `EventLog`, so the rest of the account is
unchanged.
"""

from __future__ import annotations

import random

from stripe_sandbox.generator.checkout import Checkout
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.money import DAY, one_off_amount
from stripe_sandbox.generator.reviews import Radar
from stripe_sandbox.generator.templates import Template

INTENT = Template(
    "payment_intents",
    amount_capturable=0,
    amount_details={"tip": {}},
    application=None,
    application_fee_amount=None,
    automatic_payment_methods=None,
    canceled_at=None,
    cancellation_reason=None,
    capture_method="automatic_async",
    confirmation_method="automatic",
    last_payment_error=None,
    latest_charge=None,
    livemode=False,
    metadata={},
    next_action=None,
    payment_method_configuration_details=None,
    payment_method_options={},
    processing=None,
    shipping=None,
    transfer_data=None,
    source=None,
    managed_payments=None,
)
UNPAID_SHARE = 0.08  # one-off purchases that also leave an intent with no charge
NEAR_CLOCK = 3 * DAY
CANCEL_REASONS = ("abandoned", "requested_by_customer", "duplicate")


class PaymentIntents:
    """The intents of one account, from its own RNG stream, ids and event log."""

    def __init__(self, ctx: Context, seed: int) -> None:
        self.ctx = ctx
        self.rng = random.Random(f"{seed}:{ctx.account or 'platform'}:payments")
        self.ids = IdMaker(self.rng)
        self.events = EventLog(ctx.sink, self.ids, ctx.account, ctx.clock)
        self.open: dict[str, dict] = {}  # intent id → intent whose charges are still to come
        self.radar: Radar | None = None  # may place the charge in review
        self.checkout: Checkout | None = None  # may have taken the one-off payment

    def on_charge(self, t: int, charge: dict, shared: bool) -> None:
        """The charge just made: its intent created (first attempt) and brought up to date.

        `shared`: the intent was given (an invoice's, reused by its attempts);
        otherwise it is the one-off charge's own.
        """
        if self.radar is not None:
            self.radar.on_charge(t, charge)
        rng, self.ids.now = self.rng, t
        intent = self.open.pop(charge["payment_intent"], None)
        if intent is None:
            intent = self._create(t - rng.randrange(2, 40), charge)
        if not shared:
            self.unpaid(t, charge)
        if charge["status"] == "succeeded":
            self._succeeded(t, intent, charge)
            if not shared and self.checkout is not None:
                self.checkout.on_charge(t, charge)
            self.ctx.write("payment_intents", intent)
            return
        self._failed(t, intent, charge)
        if shared:
            self.open[intent["id"]] = intent
            self.ctx.keep("payment_intents", intent)
            return
        if rng.random() < 0.5:
            self.cancel(min(t + rng.randrange(DAY, 7 * DAY), self.ctx.clock), intent, "abandoned")
        self.ctx.write("payment_intents", intent)

    def unpaid(self, t: int, charge: dict) -> None:
        """An intent that never reached a charge: abandoned, canceled or still processing."""
        rng, clock = self.rng, self.ctx.clock
        recent = t > clock - NEAR_CLOCK  # bank debits still in flight: a few `processing`
        if rng.random() >= (0.6 if recent else UNPAID_SHARE):
            return
        created = min(t + rng.randrange(60, 6 * 3600), clock - 60)
        self.ids.now = created
        currency = charge["currency"]
        amount = one_off_amount(rng, currency)
        intent = self._new(created, self.ids.new("pi_"), amount, currency, charge["customer"], None)
        fate = rng.random()
        if recent and fate < 0.7:
            intent.update(
                status="processing",
                payment_method=charge["payment_method"],
                processing={"card": {"customer_notification": None}, "type": "card"},
            )
            self.events.emit(created + 5, "payment_intent.processing", intent)
        elif fate < 0.7:
            when = min(created + rng.randrange(3600, 3 * DAY), clock)
            self.cancel(when, intent, CANCEL_REASONS[rng.randrange(len(CANCEL_REASONS))])
        self.ctx.write("payment_intents", intent)

    def cancel(self, t: int, intent: dict, reason: str) -> None:
        previous = {"status": intent["status"], "canceled_at": None, "cancellation_reason": None}
        intent.update(status="canceled", canceled_at=t, cancellation_reason=reason)
        self.events.emit(t, "payment_intent.canceled", intent, previous)

    def _create(self, t: int, charge: dict) -> dict:
        intent = self._new(
            t, charge["payment_intent"], charge["amount"], charge["currency"],
            charge["customer"], charge["description"],
        )  # fmt: skip
        intent["payment_method"] = charge["payment_method"]
        return intent

    def _new(
        self, t: int, intent_id: str, amount: int, currency: str, customer: str | None,
        description: str | None,
    ) -> dict:  # fmt: skip
        intent = INTENT.new(
            amount=amount,
            amount_received=0,
            client_secret=f"{intent_id}_secret_{self.ids.token(25)}",
            created=t,
            currency=currency,
            customer=customer,
            description=description,
            id=intent_id,
            payment_method=None,
            payment_method_types=["card"],
            status="requires_payment_method",
        )
        self.events.emit(t, "payment_intent.created", intent)
        return intent

    def _succeeded(self, t: int, intent: dict, charge: dict) -> None:
        previous = {"status": intent["status"], "amount_received": 0,
                    "latest_charge": intent["latest_charge"]}  # fmt: skip
        intent.update(
            amount_received=charge["amount_captured"],
            last_payment_error=None,
            latest_charge=charge["id"],
            payment_method=charge["payment_method"],
            review=charge["review"],
            status="succeeded",
        )
        self.events.emit(t, "payment_intent.succeeded", intent, previous, api_request=False)

    def _failed(self, t: int, intent: dict, charge: dict) -> None:
        previous = {"status": intent["status"], "latest_charge": intent["latest_charge"]}
        outcome = charge["outcome"] or {}
        intent.update(
            last_payment_error={
                "charge": charge["id"],
                "code": charge["failure_code"],
                "decline_code": outcome.get("reason"),
                "doc_url": f"https://stripe.com/docs/error-codes/{charge['failure_code']}",
                "message": charge["failure_message"],
                "type": "card_error",
            },
            latest_charge=charge["id"],
            payment_method=None,
            status="requires_payment_method",
        )
        self.events.emit(t, "payment_intent.payment_failed", intent, previous, api_request=False)
