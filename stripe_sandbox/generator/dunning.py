"""Collecting renewal invoices: charge, and on a decline retry after 3, 8 and 15 days.

A decline makes the subscription `past_due` and its customer delinquent; a
paid retry makes it active again; when every retry fails the invoice is
marked uncollectible and the subscription canceled (Stripe's default
"cancel the subscription" dunning setting).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stripe_sandbox.generator import subscriptions as subs
from stripe_sandbox.generator.customers import set_delinquent
from stripe_sandbox.generator.money import DAY

if TYPE_CHECKING:
    from stripe_sandbox.generator.billing import Billing

RETRY_DAYS = (3, 5, 7)


class Dunning:
    """Charges and retries one account's subscription invoices."""

    def __init__(self, billing: Billing) -> None:
        self.billing = billing
        self.ctx, self.invoices, self.quotas = billing.ctx, billing.invoices, billing.quotas

    def collect(self, t: int, sub: subs.Sub, invoice: dict) -> None:
        """Finalize a renewal invoice and charge it; a decline starts the retries."""
        self.invoices.finalize(t, invoice)
        # Both quotas decline every retry: "open" ones are still unpaid at the clock.
        if self.quotas.take("renewal_fail_all", t) or self.quotas.take("renewal_fail_open", t):
            sub.fail_all = True
        declined = sub.fail_all or self.ctx.rng.random() < 0.08
        retry_at = t + RETRY_DAYS[0] * DAY
        if self.invoices.attempt(t, invoice, not declined, retry_at):
            return
        self._set_status(t, sub, "past_due")
        set_delinquent(self.ctx, t, sub.customer, True)
        self.ctx.scheduler.at(retry_at, self.retry, sub, invoice, 1)

    def retry(self, t: int, sub: subs.Sub, invoice: dict, attempt: int) -> None:
        if invoice["status"] != "open" or sub.body["status"] == "canceled":
            return
        last = attempt == len(RETRY_DAYS)
        succeed = not sub.fail_all and self.ctx.rng.random() < 0.5
        retry_at = None if last else t + RETRY_DAYS[attempt] * DAY
        if self.invoices.attempt(t, invoice, succeed, retry_at):
            self._set_status(t, sub, "active")
            set_delinquent(self.ctx, t, sub.customer, False)
        elif last:
            sub.fail_all = False
            self.invoices.uncollectible(t, invoice)
            self.billing.end(t, sub, "payment_failed")
        else:
            self.ctx.scheduler.at(retry_at, self.retry, sub, invoice, attempt + 1)

    def _set_status(self, t: int, sub: subs.Sub, status: str) -> None:
        if sub.body["status"] in (status, "canceled"):
            return
        previous = {"status": sub.body["status"]}
        sub.body["status"] = status
        self.ctx.events.emit(t, "customer.subscription.updated", sub.body, previous, False)
