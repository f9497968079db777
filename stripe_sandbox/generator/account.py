"""One simulated Stripe account (the platform or a connected account), day by day.

Each account has its own RNG stream (seeded from the config seed and its id),
so accounts can be stepped in any order and still come out the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from stripe_sandbox.generator import billing as billing_
from stripe_sandbox.generator import catalog as catalog_
from stripe_sandbox.generator import customers as customers_
from stripe_sandbox.generator.balance import balance_at_clock, write_balance
from stripe_sandbox.generator.charges import Charges
from stripe_sandbox.generator.checkout import Checkout
from stripe_sandbox.generator.connect import IncomingPayments, Transfers
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.credit_plans import Credits
from stripe_sandbox.generator.disputes import Disputes
from stripe_sandbox.generator.events import EventLog
from stripe_sandbox.generator.fx import Rates, Settlement
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.invoices import Invoices
from stripe_sandbox.generator.ledger import Ledger
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.payment_intents import PaymentIntents
from stripe_sandbox.generator.payment_methods import PaymentMethods
from stripe_sandbox.generator.payouts import Payouts
from stripe_sandbox.generator.quotas import Quotas
from stripe_sandbox.generator.reviews import Radar
from stripe_sandbox.generator.sink import Sink


@dataclass(frozen=True)
class Shape:
    """How busy an account is: customers, one-off charges a month, its currencies.

    `currencies` are presented to customers; `settled` are held and paid out
    (the default settlement currency first).
    """

    customers: int
    charges_per_month: int
    currencies: tuple[str, ...]
    subscriber_share: float
    settled: tuple[str, ...] = ("usd",)


class Account:
    """All the moving parts of one account, wired together."""

    def __init__(
        self,
        account_id: str,
        shape: Shape,
        seed: int,
        sink: Sink,
        start: int,
        clock: int,
        platform: str,
    ) -> None:
        rng = random.Random(f"{seed}:{account_id or 'platform'}")
        ids = IdMaker(rng)
        ids.now = start - 30 * DAY  # the catalog is made a month before the first customer
        self.ctx = ctx = Context(
            account_id,
            rng,
            ids,
            clock,
            sink,
            EventLog(sink, ids, account_id, clock),
            owner=account_id or platform,
        )
        self.shape, self.start = shape, start
        self.quotas = Quotas(clock, start)
        self.ledger = Ledger(ctx, Settlement(Rates(seed), shape.settled))
        self.payouts = Payouts(ctx, self.ledger, self.quotas)
        self.charges = Charges(ctx, self.ledger, self.quotas)
        self.charges.intents = PaymentIntents(ctx, seed)
        self.payment_methods = PaymentMethods(ctx, seed)
        self.disputes = Disputes(ctx, self.ledger, self.quotas, self.charges)
        self.charges.intents.radar = radar = Radar(ctx, seed)
        self.charges.intents.checkout = Checkout(ctx, seed)
        self.disputes.on_open = radar.on_dispute
        self.invoices = Invoices(ctx, self.charges)
        self.credits = Credits(ctx, self.ledger, self.charges, self.invoices, seed)
        self.catalog = catalog_.create_catalog(ctx, start, shape.currencies)
        self.billing = billing_.Billing(ctx, self.catalog, self.invoices, self.quotas, seed, start)
        self.transfers = Transfers(ctx, self.ledger, self.quotas)
        self.incoming = IncomingPayments(ctx, self.ledger, platform)
        self.alive: list[customers_.Customer] = []
        self.index: dict[str, int] = {}  # customer id → position in `alive`

    @property
    def id(self) -> str:
        return self.ctx.account

    def add_customer(self, customer: customers_.Customer) -> None:
        self.index[customer.id] = len(self.alive)
        self.alive.append(customer)

    def drop_customer(self, customer: customers_.Customer) -> None:
        position = self.index.pop(customer.id)
        last = self.alive.pop()
        if last is not customer:
            self.alive[position] = last
            self.index[last.id] = position

    def random_customer(self) -> customers_.Customer | None:
        if not self.alive:
            return None
        return self.alive[self.ctx.rng.randrange(len(self.alive))]

    def run_until(self, until: int) -> None:
        """Play every scheduled action before `until` (actions may schedule more)."""
        ids = self.ctx.ids
        for t, action, args in self.ctx.scheduler.due(until):
            ids.now = t
            action(t, *args)

    def finish(self) -> None:
        """The clock: write the balance, every unpaid transaction and every live object."""
        balance = balance_at_clock(self.ledger, self.shape.settled, platform=not self.id)
        write_balance(self.ctx, balance)
        self.ledger.finish()
        self.ctx.finish()
