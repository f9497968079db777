"""Monthly partitions by the UTC month of `created`, from the account's first month."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import dagster as dg

from pipeline.extract import StripeHttp, find_first_month
from pipeline.extract.first_month import EARLIEST_MONTH
from pipeline.extract.preflight import check_stripe_reachable
from pipeline.settings import SettingsError, check_month, stripe_settings
from stripe_sandbox.starter import preset_first_month

FIRST_MONTH_FILE = Path("data/state/first_month")
"""Where the first month found in the account is remembered between loads."""


def first_month() -> str:
    """`STRIPE_START_MONTH` (checked), else the month found in the account, else the sandbox's.

    Only a month really found in the account is remembered: a fallback (the API
    could not be asked) is used for this process and asked again next time.
    """
    configured = os.environ.get("STRIPE_START_MONTH")
    if configured:
        return check_month(configured, "STRIPE_START_MONTH")
    remembered = remembered_first_month()
    if remembered:
        return remembered
    if os.environ.get("STRIPE_API_KEY"):
        month = discover_first_month()
        if month is None:
            return EARLIEST_MONTH
        remember_first_month(month)
        return month
    return preset_first_month(stripe_settings().sandbox_preset)


def remembered_first_month() -> str | None:
    """The month remembered by an earlier run; never the fallback an older version saved."""
    if not FIRST_MONTH_FILE.exists():
        return None
    text = FIRST_MONTH_FILE.read_text().strip()
    try:
        month = check_month(text, str(FIRST_MONTH_FILE))
    except SettingsError:
        return None
    return None if month == EARLIEST_MONTH else month


def discover_first_month() -> str | None:
    """The month of the account's oldest object, asked of Stripe with a few requests;
    None when the API cannot be asked (bad settings, unreachable) or the account is empty."""
    try:
        settings = stripe_settings()
        check_stripe_reachable(settings.api_key, settings.api_base, settings.stripe_account)
        config = StripeHttp(
            api_key=settings.api_key,
            api_base=settings.api_base,
            stripe_account=settings.stripe_account,
            max_retries=2,
            timeout=10.0,
        )
        return asyncio.run(find_first_month(config))
    except SettingsError as error:  # reported in one line by the run's own checks
        logging.getLogger(__name__).info("first month not found: %s", error)
    except Exception as error:  # no answer: every month since Stripe began, never fewer
        logging.getLogger(__name__).warning(
            "Could not find the account's first month (%s); starting at %s this time",
            type(error).__name__, EARLIEST_MONTH,
        )  # fmt: skip
    return None


def remember_first_month(month: str) -> None:
    try:
        FIRST_MONTH_FILE.parent.mkdir(parents=True, exist_ok=True)
        FIRST_MONTH_FILE.write_text(month + "\n")
    except OSError as error:  # a read-only data folder: found again next time
        logging.getLogger(__name__).warning("could not remember the first month: %s", error)


def first_month_for_definitions() -> str:
    """`first_month()`, or a fallback when a setting is wrong: loading the definitions
    never fails on a setting, the run's checks report it in one line."""
    try:
        return first_month()
    except SettingsError as error:
        logging.getLogger(__name__).info("partitions start at a fallback month: %s", error)
        return EARLIEST_MONTH if os.environ.get("STRIPE_API_KEY") else preset_first_month()


monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date=first_month_for_definitions(), fmt="%Y-%m", end_offset=1
)
