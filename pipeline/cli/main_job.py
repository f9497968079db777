"""The main job of `make run`, end to end, on the embedded sandbox unless a key is set.

1. take a balance snapshot (`GET /v1/balance`, job `take_balance_snapshot`), then
   extract every month of every object into the raw layer (job `extract_raw`);
2. the sandbox delivers its recent events to the webhook receiver (plus two
   forged ones, the same each run, to show they change nothing); new events are
   listed, and all are validated and processed (job `process_events`);
3. dbt builds staging and marts; the marts are published (job `build_marts`);
4. what landed is printed next to what the account holds.

Each step is a named Dagster job in the instance; with `Shown` (what `make run`
passes) its logs go to the run's log file and a progress bar shows each stage.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from rich.console import Console

from pipeline.cli.progress import ProgressHandler, RunProgress, Stage
from pipeline.cli.report import print_report
from pipeline.cli.run_jobs import STAGES, run_job
from pipeline.cli.run_log import captured_output, dagster_loggers
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


@dataclass
class Shown:
    """How a run shows itself: a bar per stage and the jobs' logger (the run's log file).
    Left empty (tests), Dagster logs to the console and no bar is drawn."""

    progress: RunProgress | None = None
    logger: logging.Logger | None = None
    handler: ProgressHandler | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.progress is not None and self.logger is not None:
            self.handler = ProgressHandler(self.progress)
            self.logger.addHandler(self.handler)

    @property
    def console(self) -> Console | None:
        return self.progress.console if self.progress is not None else None

    def begin(self, stage: Stage) -> None:
        if self.progress is not None:
            self.progress.begin(stage)

    def end(self) -> None:
        if self.progress is not None:
            self.progress.end()


def run_step(name: str, resources: dict, instance: dg.DagsterInstance, shown: Shown | None,
             **options) -> dg.ExecuteInProcessResult:  # fmt: skip
    """Job `name`, its logs to the run's logger and its bars drawn when `shown`."""
    shown = shown or Shown()
    if shown.handler is not None:
        shown.handler.stages = STAGES[name]
    loggers = dagster_loggers(shown.logger) if shown.logger else None
    try:
        with captured_output(shown.logger):
            return run_job(name, resources, instance, loggers=loggers, **options)
    finally:
        shown.end()


def root_cause(failure: dg.DagsterEvent) -> str:
    """The first line of what a failed step raised, without Dagster's wrapping."""
    error = failure.step_failure_data.error
    while error is not None and error.cause is not None:
        error = error.cause
    return (error.message if error else "unknown error").strip().splitlines()[0]


def take_balance_snapshot(
    resources: dict, instance: dg.DagsterInstance, shown: Shown | None = None
) -> bool:
    """The balance snapshot, before the listing (every transaction up to its `taken_at`
    is then extracted); a failure is one printed line, and the run goes on."""
    result = run_step("take_balance_snapshot", resources, instance, shown, raise_on_error=False)
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
    resources: dict,
    instance: dg.DagsterInstance,
    months: list[str] | None = None,
    shown: Shown | None = None,
) -> None:
    """A balance snapshot, then one Dagster run (`extract_raw`) materializing every raw
    asset over `months` (all by default)."""
    stripe, warehouse = resources["stripe"], resources["warehouse"]
    take_balance_snapshot(resources, instance, shown)
    first = first_month(stripe, warehouse.state_dir)
    months = months or months_between(first, month_of(stripe.now()))
    print(f"Extracting {months[0]} … {months[-1]} ({len(months)} months)…")
    tags = partition_range_tags(months[0], months[-1])
    run_step("extract_raw", resources, instance, shown, tags=tags)


def counted(items: Iterable[bytes], shown: Shown) -> Iterator[bytes]:
    """`items`, the bar advancing as each is taken (delivered)."""
    for item in items:
        yield item
        if shown.progress is not None:
            shown.progress.update(advance=1)


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


def process_events(
    resources: dict, instance: dg.DagsterInstance, shown: Shown | None = None
) -> None:
    """New events listed (`event_sync`), then everything received or listed validated
    and applied (`process_events`)."""
    run_step("process_events", resources, instance, shown)


def build_and_publish(
    resources: dict, instance: dg.DagsterInstance, shown: Shown | None = None
) -> None:
    """dbt builds staging and marts, then the marts are published (`build_marts`)."""
    run_step("build_marts", resources, instance, shown)


def run_main_job(data_dir: Path = Path("data"), shown: Shown | None = None) -> int:
    """Every step, in one process; settings are checked before (`pipeline.cli.run`)."""
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    instance = instance or dg.DagsterInstance.ephemeral()
    with stripe_target() as target:
        resources = run_resources(target, data_dir)
        resources["stripe"].check_settings()  # the start month against the account's clock
        extract_everything(resources, instance, shown=shown)
        if target.sandbox is not None:
            deliver_recent_events(target, data_dir, shown=shown)
        process_events(resources, instance, shown)
        build_and_publish(resources, instance, shown)
        print_report(resources["warehouse"], target.sandbox, shown.console if shown else None)
    return 0
