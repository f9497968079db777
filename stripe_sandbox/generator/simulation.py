"""The whole sandbox: the platform and its connected accounts, stepped day by day."""

from __future__ import annotations

import random

from stripe_sandbox.generator import activity
from stripe_sandbox.generator.account import Account, Shape
from stripe_sandbox.generator.accounts import write_connected_accounts
from stripe_sandbox.generator.application_fees import ApplicationFees
from stripe_sandbox.generator.catalog import launch_late_plan
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.money import DAY, midnight
from stripe_sandbox.generator.sink import Sink
from stripe_sandbox.generator.topups import Topups
from stripe_sandbox.presets import AccountConfig
from stripe_sandbox.resources import API_VERSION, RESOURCES, ZERO_DECIMAL_CURRENCIES
from stripe_sandbox.resources.connect import EMBEDDED_COUNTS


def account_ids(config: AccountConfig) -> tuple[str, list[str]]:
    """The platform's `acct_…` id and its connected accounts' ids."""
    ids = IdMaker(random.Random(f"{config.seed}:accounts"))
    ids.now = config.clock - 3 * 365 * DAY  # the accounts were opened years ago
    platform = ids.new("acct_", 16)
    return platform, [ids.new("acct_", 16) for _ in range(config.connected_accounts)]


def build_accounts(config: AccountConfig, sink: Sink, start: int) -> list[Account]:
    platform_id, connected_ids = account_ids(config)
    shape = Shape(
        config.customers,
        config.charges_per_month,
        config.currencies,
        config.subscriber_share,
        config.settled_currencies,
    )
    accounts = [Account("", shape, config.seed, sink, start, config.clock, platform_id)]
    decimal = [c for c in config.currencies if c not in ZERO_DECIMAL_CURRENCIES]
    for n, account_id in enumerate(connected_ids):
        currency = (decimal or list(config.currencies))[n % len(decimal or config.currencies)]
        small = Shape(
            max(4, config.customers // 40),
            max(8, config.charges_per_month // 40),
            (currency,),
            config.subscriber_share,
            (currency,),  # a connected account settles in its own currency
        )
        accounts.append(
            Account(account_id, small, config.seed, sink, start, config.clock, platform_id)
        )
    return accounts


def simulate(config: AccountConfig, sink: Sink) -> dict[str, str | int]:
    """Play the account from its start to the clock; returns the store's meta values."""
    clock = config.clock
    start = midnight(clock) - round(config.months * 30.44) * DAY
    accounts = build_accounts(config, sink, start)
    platform, connected = accounts[0], accounts[1:]
    fees = ApplicationFees(platform.ctx, platform.ledger, config.seed)
    for account in connected:
        account.charges.fees_to = fees
    for account in accounts:
        activity.plan_customers(account, clock)
    platform.ctx.scheduler.at(
        clock - 20 * DAY, launch_late_plan, platform.ctx, platform.catalog, config.currencies
    )
    activity.plan_manual_invoices(platform, clock)
    topups = Topups(config.seed, sink, platform.ledger, platform.ctx.scheduler)
    topups.plan(start, clock)
    for day in range(start, clock, DAY):
        activity.plan_transfers(platform, connected, day)
        for account in accounts:
            activity.plan_day(account, day)
        for account in accounts:
            account.run_until(min(day + DAY, clock + 1))
    for account in accounts:
        account.finish()
    write_connected_accounts(
        config.seed, sink, start, clock, [(a.id, a.shape.settled[0]) for a in connected]
    )
    topups.write()
    sink.flush()
    platform_id, connected_ids = account_ids(config)
    meta: dict[str, str | int] = {
        "clock": clock,
        "seed": config.seed,
        "preset": config.name,
        "api_version": API_VERSION,
        "platform_account": platform_id,
        "connected_accounts": ",".join(connected_ids),
        "fingerprint": config.fingerprint(),
    }
    for obj in RESOURCES:
        meta[f"count:{obj.name}"] = sink.counts.get(("", obj.name), 0)
    for name in EMBEDDED_COUNTS:
        meta[f"count:{name}"] = sink.counts.get(("", name), 0)
    return meta
