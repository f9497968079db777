"""The demo's webhooks: the sandbox posts its recent events to a real receiver, and two
forgeries, the same each run (delivering them again adds nothing)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.cli.progress import Stage
from pipeline.cli.run_jobs import Shown
from pipeline.cli.target import Target
from pipeline.events.webhooks.running import ReceiverProcess
from pipeline.settings import stripe_settings
from stripe_sandbox.starter import account_clock, deliver, recent_events


def counted(items: Iterable[bytes], shown: Shown) -> Iterator[bytes]:
    """`items`, the bar advancing as each is taken (delivered)."""
    for item in items:
        yield item
        shown.advance()


def deliver_recent_events(
    target: Target, data_dir: Path, days: int = 7, shown: Shown | None = None
) -> None:
    """The sandbox posts its last `days` of events to a real receiver, and two forgeries
    (the same each run: delivering them again adds nothing)."""
    shown = shown or Shown()
    configured = stripe_settings().webhook_secrets
    secret = configured[0] if configured else f"whsec_{secrets.token_hex(16)}"
    since = account_clock(target.sandbox.account_path) - days * 86400
    events = recent_events(target.sandbox.account_path, since)
    if not events:
        print(f"Webhooks: the account has no events in its last {days} days to deliver")
        return
    shown.begin(Stage("Webhook delivery", len(events) + 2, "posts"))
    try:
        with ReceiverProcess(data_dir, secrets=(secret,)) as receiver:
            genuine = deliver(counted(events, shown), receiver.url, secret)
            forged = counted(events[-1:], shown)
            unknown = deliver(forged, receiver.url, secret, forge="unknown-id")
            unsigned = deliver(counted(events[-1:], shown), receiver.url, secret,
                               forge="wrong-secret")  # fmt: skip
    finally:
        shown.end()
    acknowledged = sum(1 for d in genuine if d.status and d.status < 300)
    print(f"Webhooks: {acknowledged}/{len(genuine)} genuine deliveries acknowledged; "
          f"forged: an id Stripe does not know (answered {unknown[0].status}, to be judged), "
          f"a wrong secret (answered {unsigned[0].status})")  # fmt: skip
