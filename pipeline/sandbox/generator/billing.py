"""The subscription lifecycle: sign-up, trials, renewals, retries, plan changes, cancels.

Renewal invoices are drafted at the period end, finalized an hour later and
charged; a decline makes the subscription `past_due` and is retried after 3,
8 and 15 days; when every retry fails the invoice is marked uncollectible
and the subscription canceled. Plan changes add proration invoice items to
the next invoice.
"""

from __future__ import annotations

import time

from pipeline.sandbox.generator import subscriptions as subs
from pipeline.sandbox.generator.catalog import Catalog
from pipeline.sandbox.generator.context import Context
from pipeline.sandbox.generator.customers import Customer, set_delinquent
from pipeline.sandbox.generator.invoice_parts import invoice_item, subscription_line
from pipeline.sandbox.generator.invoices import Invoices
from pipeline.sandbox.generator.money import DAY
from pipeline.sandbox.generator.quotas import Quotas
from pipeline.sandbox.generator.templates import snapshot

RETRY_DAYS = (3, 5, 7)
FEEDBACK = ("too_expensive", "switched_service", "unused", "missing_features")


class Billing:
    """Runs the subscriptions of one account."""

    def __init__(self, ctx: Context, catalog: Catalog, invoices: Invoices, quotas: Quotas):
        self.ctx, self.catalog, self.invoices, self.quotas = ctx, catalog, invoices, quotas

    def name_of(self, price: dict) -> str:
        return self.catalog.products[price["product"]]["name"]

    def subscribe(self, t: int, customer: Customer, trial: bool) -> None:
        ctx, plans = self.ctx, self.catalog.plans.get(customer.currency)
        if customer.deleted or customer.subscription or not plans:
            return
        price = plans[ctx.rng.randrange(len(plans))]
        sub = subs.new_subscription(ctx, t, customer, price, self.name_of(price), 14 * trial)
        customer.subscription = sub
        ctx.events.emit(t, "customer.subscription.created", sub.body)
        line = subscription_line(ctx, price, sub.product_name, sub.item, sub.period)
        if trial:
            line.update(amount=0, subtotal=0, description=f"Trial period for {sub.product_name}")
        invoice = self.invoices.create(
            t, customer, [line], [], "subscription_create", sub.body["id"], (t, t)
        )
        sub.body["latest_invoice"] = invoice["id"]
        self.invoices.finalize(t, invoice)
        self.invoices.attempt(t, invoice, succeed=True, next_attempt=None)
        if trial:
            ctx.scheduler.at(sub.period[1] - 3 * DAY, self.trial_will_end, sub)
        self._schedule_period(sub)
        subs.keep(ctx, sub)

    def _schedule_period(self, sub: subs.Sub) -> None:
        """Renew at the period end; maybe a cancel request or plan change mid-period."""
        ctx, (start, end) = self.ctx, sub.period
        ctx.scheduler.at(end, self.renew, sub)
        mid = start + (end - start) // 2
        if self.quotas.take("cancel_at_period_end", mid) or ctx.rng.random() < 0.03:
            ctx.scheduler.at(mid, self.request_cancel, sub)
        elif self.quotas.take("plan_change", mid) or ctx.rng.random() < 0.04:
            ctx.scheduler.at(mid, self.change_plan, sub)

    def trial_will_end(self, t: int, sub: subs.Sub) -> None:
        if sub.body["status"] == "trialing":
            self.ctx.events.emit(
                t, "customer.subscription.trial_will_end", sub.body, api_request=False
            )

    def renew(self, t: int, sub: subs.Sub) -> None:
        ctx, body = self.ctx, sub.body
        if body["status"] == "canceled":
            return
        if body["cancel_at_period_end"]:
            self.end(t, sub, "cancellation_requested")
            return
        previous = {"items": snapshot(body["items"]), "latest_invoice": body["latest_invoice"]}
        old_start = sub.period[0]
        sub.item.update(current_period_start=t, current_period_end=subs.add_month(t))
        if body["status"] == "trialing":
            previous["status"] = "trialing"
            body["status"] = "active"
        items, sub.pending_items = sub.pending_items, []
        add_ons = self.catalog.add_ons.get(sub.customer.currency)
        if add_ons and ctx.rng.random() < 0.03:
            price = add_ons[ctx.rng.randrange(len(add_ons))]
            item = invoice_item(
                ctx,
                t,
                sub.customer.id,
                price,
                price["unit_amount"],
                self.name_of(price),
                (t, t),
                body["id"],
                False,
            )
            items.append(item)
        line = subscription_line(ctx, sub.price, sub.product_name, sub.item, sub.period)
        invoice = self.invoices.create(
            t, sub.customer, [line], items, "subscription_cycle", body["id"], (old_start, t)
        )
        body["latest_invoice"] = invoice["id"]
        ctx.events.emit(t, "customer.subscription.updated", body, previous, api_request=False)
        ctx.scheduler.at(t + 3600, self.collect, sub, invoice)
        self._schedule_period(sub)

    def collect(self, t: int, sub: subs.Sub, invoice: dict) -> None:
        """Finalize a renewal invoice and charge it; a decline starts the retries."""
        self.invoices.finalize(t, invoice)
        if self.quotas.take("renewal_fail_all", t):
            sub.fail_all = True
        declined = sub.fail_all or self.quotas.take("renewal_fail_open", t)
        declined = declined or self.ctx.rng.random() < 0.08
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
            self.end(t, sub, "payment_failed")
        else:
            self.ctx.scheduler.at(retry_at, self.retry, sub, invoice, attempt + 1)

    def _set_status(self, t: int, sub: subs.Sub, status: str) -> None:
        if sub.body["status"] in (status, "canceled"):
            return
        previous = {"status": sub.body["status"]}
        sub.body["status"] = status
        self.ctx.events.emit(t, "customer.subscription.updated", sub.body, previous, False)

    def request_cancel(self, t: int, sub: subs.Sub) -> None:
        body = sub.body
        if body["status"] not in ("active", "trialing") or body["cancel_at_period_end"]:
            return
        previous = {
            "cancel_at": None,
            "cancel_at_period_end": False,
            "canceled_at": None,
            "cancellation_details": dict(body["cancellation_details"]),
        }
        feedback = FEEDBACK[self.ctx.rng.randrange(len(FEEDBACK))]
        body.update(
            cancel_at=sub.period[1],
            cancel_at_period_end=True,
            canceled_at=t,
            cancellation_details={
                "comment": None,
                "feedback": feedback,
                "reason": "cancellation_requested",
            },
        )
        self.ctx.events.emit(t, "customer.subscription.updated", body, previous)

    def change_plan(self, t: int, sub: subs.Sub) -> None:
        """Upgrade mid-period: credit the unused time of the old plan, charge the new one."""
        ctx, body = self.ctx, sub.body
        plans = self.catalog.plans[sub.price["currency"]]
        others = [p for p in plans if p["unit_amount"] > sub.price["unit_amount"]]  # upgrades
        if body["status"] != "active" or body["cancel_at_period_end"] or not others:
            return
        new = others[ctx.rng.randrange(len(others))]
        (start, end), old = sub.period, sub.price
        day = time.strftime("%d %b %Y", time.gmtime(t))
        for price, sign, text in ((old, -1, "Unused time on"), (new, 1, "Remaining time on")):
            amount = sign * (price["unit_amount"] * (end - t) // (end - start))
            item = invoice_item(
                ctx,
                t,
                sub.customer.id,
                price,
                amount,
                f"{text} {self.name_of(price)} after {day}",
                (t, end),
                body["id"],
                True,
            )
            sub.pending_items.append(item)
            ctx.keep("invoiceitems", item)
        previous = {"items": snapshot(body["items"])}
        subs.set_price(sub, new, self.name_of(new))
        ctx.events.emit(t, "customer.subscription.updated", body, previous)
        subs.keep(ctx, sub)

    def end(self, t: int, sub: subs.Sub, reason: str) -> None:
        body = sub.body
        details = body["cancellation_details"] | {"reason": reason}
        body.update(
            status="canceled",
            ended_at=t,
            canceled_at=body["canceled_at"] or t,
            cancellation_details=details,
        )
        self.ctx.events.emit(
            t, "customer.subscription.deleted", body, api_request=reason == "cancellation_requested"
        )
        sub.customer.subscription = None
        subs.write(self.ctx, sub)
