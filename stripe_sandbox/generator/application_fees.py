"""Application fees: the platform's cut of its connected accounts' direct charges.

A connected account's one-off charge carries `application_fee_amount` (5%)
and `application_fee` (`fee_…`); its balance transaction lists the fee in
`fee_details` (type `application_fee`). The platform holds the
`application_fee` object and an `application_fee` balance transaction
(`platform_earning`), converted into its settlement currency when it does
not settle the charge's. A refund of the charge refunds the fee pro rata:
a `fee_refund` in the fee's `refunds`, an `application_fee_refund`
transaction on the platform (`platform_earning_refund`) and a credit of the
same type back on the connected account. The platform's events:
`application_fee.created` and `application_fee.refunded`.
"""

from __future__ import annotations

import random

from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import charge_available_on, fee_entry
from stripe_sandbox.generator.templates import Template, embedded_list, snapshot

FEE = Template("application_fees", livemode=False, originating_transaction=None)
FEE_REFUND = Template("fee_refunds", metadata={})
FEE_PER_MILLE = 50


def application_fee_amount(amount: int) -> int:
    """The platform's 5% of a charge, rounded half up to the minor unit."""
    return (amount * FEE_PER_MILLE + 500) // 1000


def application_id(seed: int) -> str:
    """The platform's Connect application (`ca_…`), the same for every fee."""
    return "ca_" + IdMaker(random.Random(f"{seed}:application")).token(32)


class ApplicationFees:
    """The platform's side of the fees it takes on connected accounts' charges."""

    def __init__(self, ctx: Context, ledger: Ledger, seed: int) -> None:
        self.ctx, self.ledger = ctx, ledger
        self.application = application_id(seed)
        self.fees: dict[str, dict] = {}  # charge id → its application fee

    def collect(self, t: int, account: str, charge: dict) -> None:
        """Take the charge's `application_fee_amount` into the platform's balance."""
        ctx, amount, currency = self.ctx, charge["application_fee_amount"], charge["currency"]
        ctx.ids.now = t
        fee_id = ctx.ids.new("fee_")
        settled, settled_in, rate = self.ledger.settle(t, amount, currency)
        txn = self.ledger.record(
            t,
            "application_fee",
            "platform_earning",
            settled,
            settled_in,
            fee_id,
            available_on=charge_available_on(t),
            exchange_rate=rate,
        )
        fee = FEE.new(
            account=account,
            amount=amount,
            amount_refunded=0,
            application=self.application,
            balance_transaction=txn.id,
            charge=charge["id"],
            created=t,
            currency=currency,
            fee_source={"charge": charge["id"], "type": "charge"},
            id=fee_id,
            refunded=False,
            refunds=embedded_list(f"/v1/application_fees/{fee_id}/refunds"),
        )
        self.fees[charge["id"]] = fee
        charge.update(application=self.application, application_fee=fee_id)
        ctx.events.emit(t, "application_fee.created", fee, api_request=False)
        ctx.keep("application_fees", fee)

    def fee_detail(self, t: int, ledger: Ledger, charge: dict, currency: str) -> dict:
        """The `application_fee` entry of the charge's balance transaction (its ledger's)."""
        taken = ledger.settle(t, charge["application_fee_amount"], charge["currency"])[0]
        return fee_entry(taken, currency, "Application fee", "application_fee", self.application)

    def refund(self, t: int, charge: dict, connected: Ledger) -> None:
        """Refund the fee as far as the charge is refunded, back to the connected account."""
        item = self._refund(t, charge)
        if item is not None:
            back, currency, rate = connected.settle(t, item["amount"], item["currency"])
            connected.record(t, "application_fee_refund", "fee", back, currency, item["id"],
                             exchange_rate=rate)  # fmt: skip

    def _refund(self, t: int, charge: dict) -> dict | None:
        fee = self.fees[charge["id"]]
        owed = fee["amount"] * charge["amount_refunded"] // charge["amount"]
        amount = owed - fee["amount_refunded"]
        if amount <= 0:
            return None
        ctx = self.ctx
        ctx.ids.now = t
        refund_id = ctx.ids.new("fr_")
        settled, settled_in, rate = self.ledger.settle(t, -amount, fee["currency"])
        txn = self.ledger.record(
            t,
            "application_fee_refund",
            "platform_earning_refund",
            settled,
            settled_in,
            refund_id,
            exchange_rate=rate,
        )
        item = FEE_REFUND.new(
            amount=amount,
            balance_transaction=txn.id,
            created=t,
            currency=fee["currency"],
            fee=fee["id"],
            id=refund_id,
        )
        previous = {"amount_refunded": fee["amount_refunded"], "refunds": snapshot(fee["refunds"])}
        fee["refunds"]["data"].insert(0, item)
        ctx.sink.counts[ctx.account, "application_fee_refunds"] += 1  # stored in its fee only
        fee["amount_refunded"] += amount
        if fee["amount_refunded"] == fee["amount"]:
            fee["refunded"], previous["refunded"] = True, False
        ctx.events.emit(t, "application_fee.refunded", fee, previous, api_request=False)
        return item
