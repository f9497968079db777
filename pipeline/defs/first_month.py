"""The account's first month, resolved when a run needs it: configured, remembered, or
asked of Stripe in a few requests.

Only a month really found in the account is remembered (under the data folder's
`state/`, one file per key and connected account); when the API cannot be asked
every month since Stripe began is used for this run, never fewer.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import replace
from pathlib import Path

from pipeline.defs.resources import StripeResource
from pipeline.extract import find_first_month
from pipeline.extract.first_month import EARLIEST_MONTH
from pipeline.settings import SettingsError, check_month
from stripe_sandbox.starter import preset_first_month

log = logging.getLogger(__name__)


def first_month(stripe: StripeResource, state_dir: Path) -> str:
    """`start_month` if set, the sandbox preset's first month, the remembered one, or the
    one found in the account (then remembered); `EARLIEST_MONTH` when none can be had."""
    if stripe.start_month:
        return stripe.start_month
    if stripe.is_sandbox:
        return preset_first_month(stripe.sandbox_preset)
    remembered = remembered_path(stripe, state_dir)
    if month := read_remembered(remembered):
        return month
    try:
        config = replace(stripe.http_config(), max_retries=2, timeout=10.0)  # a few probes
        month = asyncio.run(find_first_month(config))
    except Exception as error:  # no answer: every month since Stripe began, never fewer
        log.warning("Could not find the account's first month (%s); starting at %s this time",
                    type(error).__name__, EARLIEST_MONTH)  # fmt: skip
        return EARLIEST_MONTH
    if month is None:  # an empty account: nothing to skip
        return EARLIEST_MONTH
    remember(remembered, month)
    return month


def remembered_path(stripe: StripeResource, state_dir: Path) -> Path:
    """One file per (key, connected account): another account never reads it."""
    token = f"{stripe.api_key}\0{stripe.stripe_account or ''}".encode()
    return Path(state_dir) / f"first_month.{hashlib.sha256(token).hexdigest()[:16]}"


def read_remembered(path: Path) -> str | None:
    """The month an earlier run found; never the fallback, never a damaged file."""
    try:
        month = check_month(path.read_text().strip(), str(path))
    except (OSError, SettingsError):
        return None
    return None if month == EARLIEST_MONTH else month


def remember(path: Path, month: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(month + "\n")
    except OSError as error:  # a read-only data folder: found again next time
        log.warning("could not remember the first month: %s", error)
