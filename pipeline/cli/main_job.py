"""The main job of `make run`, end to end, on the embedded sandbox unless a key is set.

1. take a balance snapshot (`GET /v1/balance`), then extract every month of
   every object into the raw layer (one Dagster run);
2. the sandbox delivers its recent events to the webhook receiver (plus a
   forged one, to show it changes nothing); they are validated and processed;
3. dbt builds staging and marts; the marts are published for BI tools;
4. what landed is printed next to what the account holds.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.cli.report import print_report
from pipeline.defs.assets.balance import balance_snapshots
from pipeline.defs.assets.dbt import stripe_dbt_models
from pipeline.defs.assets.events import processed_events, validated_events
from pipeline.defs.assets.raw import stripe_raw
from pipeline.defs.assets.serving import published_marts
from pipeline.defs.definitions import defs
from pipeline.defs.first_month import first_month
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.defs.schedules import partition_range_tags
from pipeline.events.webhooks.running import ReceiverProcess
from pipeline.months import month_of, months_between
from pipeline.settings import stripe_settings
from stripe_sandbox.starter import (
    SandboxServer,
    account_clock,
    deliver,
    preset_first_month,
    recent_events,
)

SANDBOX_LIMITS = {"requests_per_second": 200.0, "endpoint_requests_per_second": 100.0}
"""The embedded sandbox has no rate limits unless asked: extract at what it serves."""


@dataclass(frozen=True)
class Target:
    """The Stripe account a run reads: an API key and where to send it."""

    api_key: str
    api_base: str | None
    sandbox: object | None = None
    preset: str | None = None  # the sandbox account's preset, whose first month is known


@contextlib.contextmanager
def stripe_target() -> Iterator[Target]:
    """Stripe itself when STRIPE_API_KEY is set, else the embedded sandbox."""
    settings = stripe_settings()
    if settings.api_key:
        yield Target(settings.api_key, settings.api_base)
        return
    preset = settings.sandbox_preset
    print(f"STRIPE_API_KEY is not set: using the embedded Stripe sandbox ({preset} account).")
    with SandboxServer.for_preset(preset) as sandbox:
        print(f"Embedded Stripe sandbox serving at {sandbox.base_url}")
        yield Target(sandbox.api_key, sandbox.base_url, sandbox, preset)


def run_resources(target: Target, data_dir: Path = Path("data")) -> dict[str, object]:
    resources = dict(defs.resources or {})
    sandbox = target.sandbox
    resources["stripe"] = StripeResource(
        api_key=target.api_key,
        api_base=target.api_base,
        clock=account_clock(sandbox.account_path) if sandbox else None,
        start_month=stripe_settings().start_month
        or (preset_first_month(target.preset) if target.preset else None),
        **(SANDBOX_LIMITS if sandbox else {}),
    )
    resources["warehouse"] = WarehouseResource(
        data_dir=str(data_dir),
        warehouse_path=str(data_dir / "warehouse.duckdb"),
        raw_dir=str(data_dir / "raw"),
    )
    return resources


def root_cause(failure: dg.DagsterEvent) -> str:
    """The first line of what a failed step raised, without Dagster's wrapping."""
    error = failure.step_failure_data.error
    while error is not None and error.cause is not None:
        error = error.cause
    return (error.message if error else "unknown error").strip().splitlines()[0]


def take_balance_snapshot(resources: dict, instance: dg.DagsterInstance) -> bool:
    """The balance snapshot, before the listing (every transaction up to its `taken_at`
    is then extracted); a failure is one printed line, and the run goes on."""
    result = dg.materialize(
        [balance_snapshots], resources=resources, instance=instance, raise_on_error=False
    )
    failure = next((e for e in result.all_events if e.is_step_failure), None)
    if failure is not None:
        print(f"Balance snapshot failed, the balance reports have no anchor: {root_cause(failure)}")
        return False
    taken = result.get_asset_materialization_events()[0].materialization.metadata
    if not taken["snapshot_taken"].value:
        print(f"Balance snapshot not taken, the balance reports have no anchor: "
              f"{taken['reason'].value}")  # fmt: skip
        return False
    return True


def extract_everything(
    resources: dict, instance: dg.DagsterInstance, months: list[str] | None = None
) -> None:
    """A balance snapshot, then one Dagster run materializing every raw asset over
    `months` (all by default)."""
    stripe, warehouse = resources["stripe"], resources["warehouse"]
    take_balance_snapshot(resources, instance)
    first = first_month(stripe, warehouse.state_dir)
    months = months or months_between(first, month_of(stripe.now()))
    print(f"Extracting {months[0]} … {months[-1]} ({len(months)} months)…")
    dg.materialize(
        [stripe_raw], resources=resources, instance=instance,
        tags=partition_range_tags(months[0], months[-1]),
    )  # fmt: skip


def deliver_recent_events(target: Target, data_dir: Path, days: int = 7) -> None:
    """The sandbox posts its last `days` of events to a real receiver, and one forgery."""
    configured = stripe_settings().webhook_secrets
    secret = configured[0] if configured else f"whsec_{secrets.token_hex(16)}"
    since = account_clock(target.sandbox.account_path) - days * 86400
    events = recent_events(target.sandbox.account_path, since)
    with ReceiverProcess(data_dir, secrets=(secret,)) as receiver:
        genuine = deliver(events, receiver.url, secret)
        unknown = deliver(events[-1:], receiver.url, secret, forge="unknown-id")
        unsigned = deliver(events[-1:], receiver.url, secret, forge="wrong-secret")
    acknowledged = sum(1 for d in genuine if d.status and d.status < 300)
    print(f"Webhooks: {acknowledged}/{len(genuine)} genuine deliveries acknowledged; "
          f"forged: an id Stripe does not know (answered {unknown[0].status}, to be judged), "
          f"a wrong secret (answered {unsigned[0].status})")  # fmt: skip


def process_events(resources: dict, instance: dg.DagsterInstance) -> None:
    print("Validating and processing events…")
    dg.materialize(
        [validated_events, processed_events], resources=resources, instance=instance,
        selection=[validated_events, processed_events],
    )  # fmt: skip


def build_and_publish(resources: dict, instance: dg.DagsterInstance) -> None:
    print("Building staging and marts with dbt, then publishing the marts…")
    dg.materialize([stripe_dbt_models, published_marts], resources=resources, instance=instance)


def run_main_job(data_dir: Path = Path("data")) -> int:
    """Every step, in one process; settings are checked before (`pipeline.cli.run`)."""
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    instance = instance or dg.DagsterInstance.ephemeral()
    with stripe_target() as target:
        resources = run_resources(target, data_dir)
        resources["stripe"].check_settings()  # the start month against the account's clock
        extract_everything(resources, instance)
        if target.sandbox is not None:
            deliver_recent_events(target, data_dir)
        process_events(resources, instance)
        build_and_publish(resources, instance)
        print_report(resources["warehouse"], target.sandbox)
    return 0
