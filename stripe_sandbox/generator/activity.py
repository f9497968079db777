"""What happens in an account: customers arrive, buy, get invoiced, leave; payouts run daily."""

from __future__ import annotations

from stripe_sandbox.generator import customers as customers_
from stripe_sandbox.generator.account import Account
from stripe_sandbox.generator.application_fees import application_fee_amount
from stripe_sandbox.generator.invoice_parts import invoice_item
from stripe_sandbox.generator.money import DAY, is_business_day, one_off_amount

CURRENCY_WEIGHTS = (50, 25, 10, 15)  # first, second, … configured currency


def plan_customers(account: Account, clock: int) -> None:
    """Arrival times: a quarter in the first ten days, the rest spread, one two days ago."""
    ctx, start, count = account.ctx, account.start, account.shape.customers
    early = count // 4
    times = [start + ctx.rng.randrange(10 * DAY) for _ in range(early)]
    times += [start + ctx.rng.randrange(clock - start) for _ in range(count - early - 1)]
    times.append(clock - 2 * DAY)
    for t in sorted(times):
        ctx.scheduler.at(t, new_customer, account)


def new_customer(t: int, account: Account) -> None:
    ctx, quotas, clock = account.ctx, account.quotas, account.ctx.clock
    currencies = account.shape.currencies
    currency = ctx.rng.choices(currencies, weights=CURRENCY_WEIGHTS[: len(currencies)])[0]
    customer = customers_.create_customer(ctx, t, currency)
    account.payment_methods.on_customer(t, customer)
    account.add_customer(customer)
    if quotas.take("trial_recent", t):
        ctx.scheduler.at(t + 60, account.billing.subscribe, customer, True)
    elif ctx.rng.random() < account.shape.subscriber_share:
        trial = ctx.rng.random() < 0.3
        ctx.scheduler.at(
            t + ctx.rng.randrange(60, 3 * DAY), account.billing.subscribe, customer, trial
        )
    if quotas.take("customer_update_in_window", t):
        ctx.scheduler.at(clock - ctx.rng.randrange(DAY, 25 * DAY), _update, account, customer)
    elif ctx.rng.random() < 0.1:
        ctx.scheduler.at(t + ctx.rng.randrange(DAY, 400 * DAY), _update, account, customer)
    if quotas.take("customer_delete_in_window", t):
        ctx.scheduler.at(clock - ctx.rng.randrange(2 * DAY, 20 * DAY), delete, account, customer)
    elif ctx.rng.random() < 0.04:
        ctx.scheduler.at(t + ctx.rng.randrange(10 * DAY, 500 * DAY), delete, account, customer)


def _update(t: int, account: Account, customer: customers_.Customer) -> None:
    customers_.update_email(account.ctx, t, customer)


def delete(t: int, account: Account, customer: customers_.Customer) -> None:
    if customer.deleted:
        return
    if customer.subscription is not None:
        account.billing.end(t, customer.subscription, "cancellation_requested")
    customers_.delete_customer(account.ctx, t, customer)
    account.payment_methods.on_customer_deleted(customer)
    account.drop_customer(customer)


def plan_day(account: Account, day: int) -> None:
    """The day's payouts (business days), one-off charges and manual invoices, at their times."""
    ctx, shape = account.ctx, account.shape
    for position, currency in enumerate(shape.settled):
        if is_business_day(day):
            ctx.scheduler.at(day + 3 * 3600 + 60 * position, account.payouts.daily, currency)
    growth = 0.6 + 0.8 * (day - account.start) / max(DAY, ctx.clock - account.start)
    rate = shape.charges_per_month / 30 * growth
    count = int(rate) + (ctx.rng.random() < rate - int(rate))
    for _ in range(count):
        ctx.scheduler.at(day + ctx.rng.randrange(DAY), one_off_charge, account)
    if ctx.rng.random() < max(1, shape.charges_per_month // 40) / 30:
        fate = "void" if ctx.rng.random() < 0.08 else "pay"
        ctx.scheduler.at(day + ctx.rng.randrange(DAY), manual_invoice, account, fate)


def one_off_charge(t: int, account: Account) -> None:
    customer = account.random_customer()
    if customer is None:
        return
    rng = account.ctx.rng
    amount = one_off_amount(rng, customer.currency)
    description = f"Order {account.ctx.ids.token(8).upper()}"
    succeed = rng.random() < 0.94
    fee = application_fee_amount(amount) if account.id else None  # connected: the platform's cut
    account.charges.charge(t, customer, amount, description, succeed, application_fee_amount=fee)


def manual_invoice(t: int, account: Account, fate: str) -> None:
    """A one-off invoice of add-ons (sometimes more than ten lines), drafted a minute later."""
    ctx, customer = account.ctx, account.random_customer()
    add_ons = account.catalog.add_ons.get(customer.currency) if customer else None
    if customer is None or not add_ons:
        return
    many = account.quotas.take("invoice_many_lines", t) or ctx.rng.random() < 0.05
    lines = ctx.rng.randint(11, 13) if many else ctx.rng.randint(1, 3)
    items = []
    for _ in range(lines):
        price = add_ons[ctx.rng.randrange(len(add_ons))]
        name = account.billing.name_of(price)
        items.append(
            invoice_item(
                ctx, t, customer.id, price, price["unit_amount"], name, (t, t), None, False
            )
        )
    invoice = account.invoices.create(t + 60, customer, [], items, "manual", None, (t, t))
    if fate != "draft":
        ctx.scheduler.at(t + 3600, _finalize_manual, account, invoice, fate)


def _finalize_manual(t: int, account: Account, invoice: dict, fate: str) -> None:
    account.invoices.finalize(t, invoice)
    if fate == "void":
        account.ctx.scheduler.at(t + 2 * DAY, account.invoices.void, invoice)
    else:
        account.invoices.attempt(t, invoice, account.ctx.rng.random() < 0.9, None)


def plan_manual_invoices(account: Account, clock: int) -> None:
    """Invoices every account shows: one voided within the month, one still a draft."""
    account.ctx.scheduler.at(clock - 12 * DAY, manual_invoice, account, "void")
    account.ctx.scheduler.at(clock - 1800, manual_invoice, account, "draft")


def plan_transfers(platform: Account, connected: list[Account], day: int) -> None:
    """Transfers to each connected account, up to two a week, in its currency if settled.

    Busier platforms transfer more often; a small platform about once a week,
    so its transfers stay well below its card revenue.
    """
    ctx = platform.ctx
    rate = min(0.3, max(0.15, platform.shape.charges_per_month / 1000))
    for account in connected:
        if ctx.rng.random() < rate:
            currency = account.shape.settled[0]
            if currency not in platform.shape.settled:
                currency = platform.shape.settled[0]
            ctx.scheduler.at(
                day + ctx.rng.randrange(DAY),
                platform.transfers.transfer,
                account.id,
                account.incoming,
                currency,
            )
