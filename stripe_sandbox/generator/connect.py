"""Connect: the platform's transfers to connected accounts, and their reversals.

On the platform a transfer is a `transfer` balance transaction (negative)
and a reversal a `transfer_refund` one (positive). On the connected account
the transfer arrives as a `py_…` payment (a charge object) with a `payment`
transaction, and a reversal takes it back with a `payment_refund` one. The
platform transfers in the connected account's currency when it settles that
currency, else in its own; the payment then converts into the connected
account's currency (its transaction has an `exchange_rate`).
"""

from __future__ import annotations

from typing import Protocol

from stripe_sandbox.generator.charges import CHARGE
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import DAY, charge_available_on
from stripe_sandbox.generator.quotas import Quotas
from stripe_sandbox.generator.templates import Template, embedded_list

TRANSFER = Template(
    "transfers",
    amount_reversed=0,
    description=None,
    livemode=False,
    metadata={},
    reversed=False,
    source_transaction=None,
    source_type="card",
    transfer_group=None,
)
REVERSAL = Template(
    "transfer_reversals", destination_payment_refund=None, metadata={}, source_refund=None
)


class Destination(Protocol):
    """The connected account's side of a transfer."""

    def receive(self, t: int, transfer: dict) -> str: ...
    def give_back(self, t: int, payment_id: str, amount: int) -> str: ...


class Transfers:
    """The platform's transfers to its connected accounts."""

    def __init__(self, ctx: Context, ledger: Ledger, quotas: Quotas) -> None:
        self.ctx, self.ledger, self.quotas = ctx, ledger, quotas

    def transfer(self, t: int, destination: str, account: Destination, currency: str) -> None:
        ctx = self.ctx
        amount = ctx.rng.randrange(10, 60) * 100
        transfer_id = ctx.ids.new("tr_")
        txn = self.ledger.record(t, "transfer", "transfer", -amount, currency, transfer_id)
        transfer = TRANSFER.new(
            amount=amount,
            balance_transaction=txn.id,
            created=t,
            currency=currency,
            destination=destination,
            destination_payment=None,
            id=transfer_id,
            reversals=embedded_list(f"/v1/transfers/{transfer_id}/reversals"),
        )
        transfer["destination_payment"] = account.receive(t, transfer)
        ctx.events.emit(t, "transfer.created", transfer)
        reversal_at = t + ctx.rng.randrange(DAY, 10 * DAY)
        full = self.quotas.take("transfer_reversed_fully", reversal_at)
        partly = not full and self.quotas.take("transfer_reversed_partly", reversal_at)
        if full or partly or ctx.rng.random() < 0.08:
            full = full or (not partly and ctx.rng.random() < 0.5)
            part = amount if full else amount * ctx.rng.randrange(20, 80) // 100
            ctx.scheduler.at(reversal_at, self.reverse, transfer, account, part)
            ctx.keep("transfers", transfer)
        else:
            ctx.write("transfers", transfer)

    def reverse(self, t: int, transfer: dict, account: Destination, amount: int) -> None:
        ctx, reversal_id = self.ctx, self.ctx.ids.new("trr_")
        txn = self.ledger.record(
            t, "transfer_refund", "transfer_reversal", amount, transfer["currency"], reversal_id
        )
        refund_id = account.give_back(t, transfer["destination_payment"], amount)
        reversal = REVERSAL.new(
            amount=amount,
            balance_transaction=txn.id,
            created=t,
            currency=transfer["currency"],
            id=reversal_id,
            destination_payment_refund=refund_id,
            transfer=transfer["id"],
        )
        previous = {"amount_reversed": transfer["amount_reversed"], "reversed": False}
        transfer["reversals"]["data"].insert(0, reversal)
        ctx.sink.counts[ctx.account, "transfer_reversals"] += 1  # stored in its transfer only
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        ctx.events.emit(t, "transfer.reversed", transfer, previous)
        ctx.write("transfers", transfer)


class IncomingPayments:
    """The connected account's `py_` payments from the platform's transfers."""

    def __init__(self, ctx: Context, ledger: Ledger, platform: str) -> None:
        self.ctx, self.ledger, self.platform = ctx, ledger, platform
        self.payments: dict[str, dict] = {}

    def receive(self, t: int, transfer: dict) -> str:
        ctx, amount, currency = self.ctx, transfer["amount"], transfer["currency"]
        payment_id = ctx.ids.new("py_")
        settled, settled_in, rate = self.ledger.settle(t, amount, currency)
        txn = self.ledger.record(
            t,
            "payment",
            "charge",
            settled,
            settled_in,
            payment_id,
            available_on=charge_available_on(t),
            exchange_rate=rate,
        )
        payment = CHARGE.new(
            amount=amount,
            amount_captured=amount,
            amount_refunded=0,
            balance_transaction=txn.id,
            billing_details=None,
            captured=True,
            created=t,
            currency=currency,
            customer=None,
            description=None,
            disputed=False,
            failure_balance_transaction=None,
            failure_code=None,
            failure_message=None,
            id=payment_id,
            outcome=None,
            paid=True,
            payment_intent=None,
            payment_method=None,
            payment_method_details={"stripe_account": {}, "type": "stripe_account"},
            receipt_url=None,
            refunded=False,
            refunds=embedded_list(f"/v1/charges/{payment_id}/refunds"),
            source_transfer=transfer["id"],
            status="succeeded",
        )
        payment["calculated_statement_descriptor"] = None
        ctx.events.emit(t, "charge.succeeded", payment, api_request=False)
        self.payments[payment_id] = payment
        ctx.keep("charges", payment)
        return payment_id

    def give_back(self, t: int, payment_id: str, amount: int) -> str:
        payment, refund_id = self.payments[payment_id], self.ctx.ids.new("pyr_")
        settled, currency, rate = self.ledger.settle(t, -amount, payment["currency"])
        self.ledger.record(
            t, "payment_refund", "refund", settled, currency, refund_id, exchange_rate=rate
        )
        previous = {"amount_refunded": payment["amount_refunded"]}
        payment["amount_refunded"] += amount
        payment["refunded"] = payment["amount_refunded"] == payment["amount"]
        self.ctx.events.emit(t, "charge.refunded", payment, previous, api_request=False)
        return refund_id
