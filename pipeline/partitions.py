"""Monthly partitions by the UTC month of `created`, from the account's first month."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

FIRST_MONTH_FILE = Path("data/state/first_month")
"""Where the first month found in the account is remembered between loads."""


def first_month() -> str:
    """`STRIPE_START_MONTH`, else the month found in the account, else the sandbox's."""
    configured = os.environ.get("STRIPE_START_MONTH")
    if configured:
        return configured
    if FIRST_MONTH_FILE.exists():
        return FIRST_MONTH_FILE.read_text().strip()
    if os.environ.get("STRIPE_API_KEY"):
        month = discover_first_month()
        remember_first_month(month)
        return month
    return sandbox_first_month()


def discover_first_month() -> str:
    """The month of the account's oldest object, asked of Stripe with a few requests."""
    import asyncio

    from pipeline.extract import StripeHttp, find_first_month
    from pipeline.extract.first_month import EARLIEST_MONTH

    config = StripeHttp(
        api_key=os.environ["STRIPE_API_KEY"],
        api_base=os.environ.get("STRIPE_API_BASE") or "https://api.stripe.com",
        stripe_account=os.environ.get("STRIPE_ACCOUNT") or None,
    )
    try:
        return asyncio.run(find_first_month(config)) or EARLIEST_MONTH
    except Exception as error:  # no answer: every month since Stripe began, never fewer
        logging.getLogger(__name__).warning(
            "Could not find the account's first month (%s); starting at %s",
            type(error).__name__, EARLIEST_MONTH,
        )  # fmt: skip
        return EARLIEST_MONTH


def sandbox_first_month(preset: str = "default") -> str:
    """A month at or before the sandbox account's oldest object (its catalogue predates
    its first customers): the clock's month minus the span, with a month to spare."""
    from pipeline.sandbox.presets import PRESETS

    config = PRESETS[preset]
    clock = datetime.fromtimestamp(config.clock, UTC)
    index = clock.year * 12 + clock.month - 1 - (config.months + 1)
    return f"{index // 12}-{index % 12 + 1:02d}"


def remember_first_month(month: str) -> None:
    FIRST_MONTH_FILE.parent.mkdir(parents=True, exist_ok=True)
    FIRST_MONTH_FILE.write_text(month + "\n")


monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date=first_month(), fmt="%Y-%m", end_offset=1
)
