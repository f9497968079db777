"""The sandbox as the pipeline may use it: started for a run that has no key, and
asked what its account holds. The pipeline's command line and Dagster definitions
import this module only (an import-linter contract); everything else reaches the
sandbox as it reaches Stripe, over HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from stripe_sandbox.listing import AccountListing
from stripe_sandbox.presets import PRESETS
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta
from stripe_sandbox.webhooks import Delivery, deliver

__all__ = [
    "PRESET_NAMES",
    "Delivery",
    "SandboxServer",
    "account_clock",
    "account_counts",
    "deliver",
    "preset_first_month",
    "recent_events",
]

PRESET_NAMES: tuple[str, ...] = tuple(PRESETS)


def preset_first_month(preset: str = "default") -> str:
    """A month at or before the preset account's oldest object (its catalogue predates
    its first customers): the clock's month minus the span, with a month to spare."""
    config = PRESETS[preset]
    clock = datetime.fromtimestamp(config.clock, UTC)
    index = clock.year * 12 + clock.month - 1 - (config.months + 1)
    return f"{index // 12}-{index % 12 + 1:02d}"


def account_clock(account_path: Path) -> int:
    """The account's "now", in Unix seconds: what Stripe's retention windows count from."""
    return int(read_meta(open_reader(account_path))["clock"])


def account_counts(account_path: Path) -> dict[str, int]:
    """Listable platform objects per resource, as the account states them."""
    meta = read_meta(open_reader(account_path))
    return {k.removeprefix("count:"): int(v) for k, v in meta.items() if k.startswith("count:")}


def recent_events(account_path: Path, since: int) -> Sequence[bytes]:
    """The platform's events created at or after `since`, oldest first, as JSON bodies."""
    return AccountListing(account_path).events_oldest_first(since=since)
