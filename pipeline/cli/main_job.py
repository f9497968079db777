"""The main job of `make run`, end to end, on the embedded sandbox unless a key is set.

1. take a balance snapshot (`GET /v1/balance`, job `take_balance_snapshot`), then
   extract every month of every object into the raw layer (job `extract_raw`);
2. the sandbox delivers its recent events to the webhook receiver (plus two
   forged ones, the same each run, to show they change nothing); new events are
   listed, all are validated and processed, and the deleted customers still
   referred to are retrieved (job `process_events`);
3. dbt builds staging and marts; the marts are published (job `build_marts`);
4. what landed is printed next to what the account holds.

Each step is a named Dagster job in the instance; with `Shown` (what `make run`
passes) its logs go to the run's log file and a progress bar shows each stage.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from pipeline.cli.report import print_report
from pipeline.cli.run_jobs import Shown, run_step
from pipeline.cli.target import Target, run_resources, stripe_target
from pipeline.cli.webhook_demo import deliver_recent_events
from pipeline.defs.first_month import first_month
from pipeline.defs.schedules import partition_range_tags
from pipeline.months import month_of, months_between

__all__ = [
    "Shown",
    "Target",
    "build_and_publish",
    "deliver_recent_events",
    "extract_everything",
    "process_events",
    "root_cause",
    "run_main_job",
    "run_resources",
    "take_balance_snapshot",
]


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


def process_events(
    resources: dict, instance: dg.DagsterInstance, shown: Shown | None = None
) -> None:
    """New events listed (`event_sync`), then everything received or listed validated and
    applied (job `process_events`, as in the code location)."""
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
