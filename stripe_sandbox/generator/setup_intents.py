"""SetupIntents: the one that saved each payment method, and attempts that saved none.

A saved method's SetupIntent is created with the customer's consent and
`succeeded` at once (`usage: off_session`); a bank debit carries its
mandate. Before some methods a first attempt was left: abandoned in
`requires_payment_method` after a failed verification, or `canceled`. Drawn
from the payment methods' RNG stream, ids and event log.
"""

from __future__ import annotations

import random

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.templates import Template

SETUP = Template(
    "setup_intents",
    automatic_payment_methods=None,
    cancellation_reason=None,
    description=None,
    flow_directions=None,
    last_setup_error=None,
    latest_attempt=None,
    livemode=False,
    mandate=None,
    metadata={},
    next_action=None,
    payment_method_configuration_details=None,
    payment_method_options={},
    single_use_mandate=None,
    usage="off_session",
)
VERIFICATION_FAILED = {
    "code": "payment_method_microdeposit_verification_attempts_exceeded",
    "message": "You have exceeded the number of allowed verification attempts.",
    "type": "invalid_request_error",
}


class SetupIntents:
    """Setup intents of one account's saved payment methods."""

    def __init__(self, ctx: Context, rng: random.Random, ids: IdMaker, events: EventLog) -> None:
        self.ctx, self.rng, self.ids, self.events = ctx, rng, ids, events

    def succeeded(self, t: int, customer_id: str, method: dict) -> None:
        """The intent that saved `method` to the customer at `t`."""
        setup = self._new(t, customer_id, method["type"])
        previous = {"status": setup["status"], "payment_method": None}
        setup.update(payment_method=method["id"], status="succeeded")
        if method["type"] != "card":
            setup["mandate"] = self.ids.new("mandate_")
        self.events.emit(t, "setup_intent.succeeded", setup, previous, api_request=False)
        self.ctx.write("setup_intents", setup)

    def abandoned(self, created: int, customer_id: str, kind: str, share: float) -> None:
        """Sometimes (`share`) an attempt made at `created` that saved nothing: it failed
        verification, or was left and canceled."""
        rng = self.rng
        fate = rng.random()
        if fate >= share:
            return
        self.ids.now = created
        setup = self._new(created, customer_id, kind)
        if fate < share / 2:
            setup["last_setup_error"] = VERIFICATION_FAILED
            self.events.emit(created + 600, "setup_intent.setup_failed", setup)
        else:
            previous = {"status": setup["status"], "cancellation_reason": None}
            setup.update(status="canceled", cancellation_reason="abandoned")
            self.events.emit(created + 1800, "setup_intent.canceled", setup, previous)
        self.ctx.write("setup_intents", setup)

    def _new(self, t: int, customer_id: str, kind: str) -> dict:
        setup_id = self.ids.new("seti_")
        setup = SETUP.new(
            client_secret=f"{setup_id}_secret_{self.ids.token(32)}",
            created=t,
            customer=customer_id,
            id=setup_id,
            payment_method=None,
            payment_method_types=[kind],
            status="requires_payment_method",
        )
        self.events.emit(t, "setup_intent.created", setup)
        return setup
