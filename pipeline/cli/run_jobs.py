"""`make run`'s steps as named Dagster jobs (never `__ephemeral_asset_job__`), and which
step of each opens which progress bar.

The jobs carry the names the code location uses for the same work (`extract_raw`,
`process_events`), so the runs `make run` leaves in the instance read as they do
in the UI. The balance snapshot is a job of its own: it may fail alone. `run_step`
runs one, its logs and bars as `Shown` says.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import dagster as dg
from rich.console import Console

from pipeline.cli.progress import ProgressHandler, RunProgress, Stage
from pipeline.cli.run_log import captured_output, dagster_loggers
from pipeline.defs.assets.balance import balance_snapshots
from pipeline.defs.assets.dbt import stripe_dbt_models
from pipeline.defs.assets.raw import stripe_raw
from pipeline.defs.assets.serving import published_marts
from pipeline.defs.definitions import defs
from pipeline.defs.event_jobs import process_events_job

JOBS: dict[str, tuple[str, dg.AssetSelection]] = {
    "take_balance_snapshot": ("What Stripe holds now per currency, before the listing.",
                              dg.AssetSelection.assets(balance_snapshots)),
    "extract_raw": ("The Stripe objects of the chosen months listed into the raw layer.",
                    dg.AssetSelection.assets(stripe_raw)),
    "process_events": (process_events_job.description or "", process_events_job.selection),
    "build_marts": ("dbt builds staging and marts; the marts are published for BI tools.",
                    dg.AssetSelection.assets(stripe_dbt_models, published_marts)),
}  # fmt: skip
"""Per job: its description and selection; `process_events` is the code location's own."""

STAGES: dict[str, dict[str, Stage]] = {
    "take_balance_snapshot": {"stripe__balance_snapshots": Stage("Balance snapshot", 1)},
    "extract_raw": {"stripe_raw": Stage("Extraction", None, "jobs")},
    "process_events": {"events__event_sync": Stage("Event processing", 5)},
    "build_marts": {
        "stripe_dbt_models": Stage("dbt build", None, "nodes"),
        "serving__published_marts": Stage("Publishing", 1),
    },
}
"""Per job: the step that opens a bar, and the bar (steps: one per step that ends)."""


def run_definitions(
    resources: Mapping[str, object], loggers: Mapping[str, dg.LoggerDefinition] | None = None
) -> dg.Definitions:
    """The code location's assets and checks with `make run`'s jobs and this run's resources
    (the location's own for any not given); `loggers`: the jobs' loggers (None keeps
    Dagster's console logger)."""
    jobs = [
        dg.define_asset_job(name, selection=selection, description=description)
        for name, (description, selection) in JOBS.items()
    ]  # fmt: skip
    return dg.Definitions(
        assets=list(defs.assets or []),
        asset_checks=list(defs.asset_checks or []),
        jobs=jobs,
        resources={**(defs.resources or {}), **resources},  # the location's for the rest
        loggers=dict(loggers) if loggers else None,
    )


def run_job(
    name: str,
    resources: Mapping[str, object],
    instance: dg.DagsterInstance,
    *,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = True,
    loggers: Mapping[str, dg.LoggerDefinition] | None = None,
) -> dg.ExecuteInProcessResult:
    """One of `make run`'s jobs, in this process, recorded in `instance` under its name."""
    job = run_definitions(resources, loggers).resolve_job_def(name)
    run_config = {"loggers": {key: {} for key in loggers or {}}}  # a logger runs when named
    return job.execute_in_process(
        run_config=run_config if loggers else None, instance=instance,
        tags=dict(tags or {}), raise_on_error=raise_on_error,
    )  # fmt: skip


@dataclass(frozen=True)
class Shown:
    """How a run shows itself: a bar per stage, the jobs' logger (the run's log file) and
    the handler that drives the bars from it. Left empty (tests), Dagster logs to the
    console and no bar is drawn."""

    progress: RunProgress | None = None
    logger: logging.Logger | None = None
    handler: ProgressHandler | None = None

    @property
    def console(self) -> Console | None:
        return self.progress.console if self.progress is not None else None

    def begin(self, stage: Stage) -> None:
        if self.progress is not None:
            self.progress.begin(stage)

    def advance(self) -> None:
        if self.progress is not None:
            self.progress.update(advance=1)

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
