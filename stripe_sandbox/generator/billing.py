"""The subscription lifecycle: sign-up, trials, renewals and the end of a subscription.

Renewal invoices are drafted at the period end and collected an hour later
by `dunning`; cancel requests and upgrades happen mid-period
(`plan_changes`).
"""

from __future__ import annotations

from stripe_sandbox.generator import subscriptions as subs
from stripe_sandbox.generator.catalog import Catalog
from stripe_sandbox.generator.context import Context
from stripe_sandbox.generator.customers import Customer
from stripe_sandbox.generator.dunning import Dunning
from stripe_sandbox.generator.invoice_adjustments import InvoiceAdjustments
from stripe_sandbox.generator.invoice_parts import invoice_item, subscription_line
from stripe_sandbox.generator.invoices import Invoices
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.plan_changes import PlanChanges
from stripe_sandbox.generator.quotas import Quotas
from stripe_sandbox.generator.schedules import Schedules
from stripe_sandbox.generator.templates import snapshot


class Billing:
    """Runs the subscriptions of one account."""

    def __init__(
        self,
        ctx: Context,
        catalog: Catalog,
        invoices: Invoices,
        quotas: Quotas,
        seed: int = 0,
        start: int = 0,
    ) -> None:
        self.ctx, self.catalog, self.invoices, self.quotas = ctx, catalog, invoices, quotas
        currencies = tuple(catalog.plans)
        self.adjustments = InvoiceAdjustments(ctx, seed, start or ctx.ids.now, currencies)
        invoices.adjust = self.adjustments.totals
        self.schedules = Schedules(self.adjustments.stream, catalog)
        self.dunning = Dunning(self)
        self.changes = PlanChanges(self)

    def name_of(self, price: dict) -> str:
        return self.catalog.products[price["product"]]["name"]

    def subscribe(self, t: int, customer: Customer, trial: bool) -> None:
        ctx, plans = self.ctx, self.catalog.plans.get(customer.currency)
        if customer.deleted or customer.subscription or not plans:
            return
        price = plans[ctx.rng.randrange(len(plans))]
        sub = subs.new_subscription(ctx, t, customer, price, self.name_of(price), 14 * trial)
        customer.subscription = sub
        self.adjustments.subscribed(t, sub)
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
            ctx.scheduler.at(mid, self.changes.request_cancel, sub)
        elif self.quotas.take("plan_change", mid) or ctx.rng.random() < 0.04:
            ctx.scheduler.at(mid, self.changes.change_plan, sub)
        else:
            ctx.scheduler.at(mid, self.schedules.maybe_book, sub)

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
        old_items = snapshot(body["items"]) if ctx.events.kept(t) else None  # for the event
        previous = {"items": old_items, "latest_invoice": body["latest_invoice"]}
        old_start = sub.period[0]
        self.schedules.renewing(t, sub, self.name_of)
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
        ctx.scheduler.at(t + 3600, self.dunning.collect, sub, invoice)
        self._schedule_period(sub)

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
        self.schedules.ending(t, sub)
        subs.write(self.ctx, sub)
