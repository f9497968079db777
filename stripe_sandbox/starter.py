"""The sandbox as the pipeline may use it: started for a run that has no key, and
asked what its account holds. The pipeline's command line and Dagster definitions
import this module only (an import-linter contract); everything else reaches the
sandbox as it reaches Stripe, over HTTP."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson

from stripe_sandbox.listing import AccountListing
from stripe_sandbox.presets import PRESETS
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta
from stripe_sandbox.webhooks import Delivery
from stripe_sandbox.webhooks import deliver as deliver_to

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


def with_unknown_id(payload: bytes) -> bytes:
    """The event under an id Stripe does not know, the same one for the same event."""
    event = orjson.loads(payload)
    digest = hashlib.sha256(b"unknown-id:" + payload).hexdigest()[:24]
    return orjson.dumps({**event, "id": f"evt_{digest}"})


def deliver(
    events: Iterable[bytes], url: str, secret: str, forge: str | None = None, **options
) -> list[Delivery]:
    """POST each event to `url` as Stripe does (`stripe_sandbox.webhooks.deliver`), or
    forged; an `unknown-id` forgery of an event is the same delivery every time (its id
    derived from the event), so delivering it again adds no event."""
    if forge == "unknown-id":
        return deliver_to(map(with_unknown_id, events), url, secret, **options)
    return deliver_to(events, url, secret, forge, **options)
