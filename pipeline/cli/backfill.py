"""`python -m pipeline.cli.backfill --from 2024-01 --to 2024-06`: months of history, resumable.

Shows a bar as it goes (jobs and months done, objects, rate, time left).
Every (object, month) replaces its raw partition atomically and is then written
to a checkpoint under `data/state/`, so a backfill that is interrupted and
started again skips what it finished and ends with the same raw layer as one
that ran straight through. In the Dagster UI the same range is a backfill of
the raw assets (one run, `BackfillPolicy.single_run`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sys
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline.cli.failures import run_command
from pipeline.cli.progress import RunProgress, Stage
from pipeline.commands import exit_code
from pipeline.extract import StripeHttp
from pipeline.extract.preflight import check_stripe_reachable
from pipeline.months import months_between
from pipeline.raw.loader import JobDone, extract_to_raw, objects_for_tables, raw_tables
from pipeline.settings import SettingsError, check_data_dir, check_month_range, stripe_settings
from stripe_sandbox.starter import PRESET_NAMES

PIPE_WIDTH = 140
"""Columns when stdout is no terminal (a file, CI): the bar stays one line."""


def checkpoint_path(data_dir: Path, tables: list[str], months: list[str]) -> Path:
    key = hashlib.sha256(json.dumps([tables, months]).encode()).hexdigest()[:12]
    return Path(data_dir) / "state" / f"backfill-{months[0]}-{months[-1]}-{key}.jsonl"


def finished_jobs(checkpoint: Path) -> frozenset[tuple[str, str]]:
    if not checkpoint.exists():
        return frozenset()
    lines = checkpoint.read_text().splitlines()
    return frozenset(tuple(json.loads(line)) for line in lines if line.endswith("]"))


def progress_detail(job: JobDone, months: str, objects: int) -> str:
    """The bar's words: objects so far, months complete, the rate and the time left."""
    rate = objects / job.seconds if job.seconds else 0.0
    left = (job.total - job.done) * job.seconds / job.done
    return (f"{objects:,} objects · months complete {months} · {rate:,.0f} objects/s · "
            f"about {left:,.0f} s left")  # fmt: skip


def backfill(
    config: StripeHttp, data_dir: Path, months: list[str], tables: list[str], shown: RunProgress
) -> dict:
    """Extract `months` of `tables` into `data_dir`, skipping jobs a checkpoint says are done."""
    checkpoint = checkpoint_path(data_dir, tables, months)
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    done = finished_jobs(checkpoint)
    if done:
        print(f"Resuming: {len(done)} (object, month) jobs finished before are skipped")
    jobs_per_month = {m: sum(1 for d in done if d[1] == m) for m in months}
    per_month = len(objects_for_tables(tables))
    objects_total = 0
    shown.begin(Stage("Backfill", per_month * len(months), "jobs"))
    shown.update(completed=len(done))

    def on_job_done(job: JobDone) -> None:
        nonlocal objects_total
        objects_total += job.rows
        with open(checkpoint, "a") as handle:
            handle.write(json.dumps([job.object_name, job.month]) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        jobs_per_month[job.month] = jobs_per_month.get(job.month, 0) + 1
        complete = sum(1 for n in jobs_per_month.values() if n >= per_month)
        months_done = f"{complete}/{len(months)}"
        shown.update(completed=job.done + len(done), total=job.total + len(done),
                     detail=progress_detail(job, months_done, objects_total))  # fmt: skip

    results = asyncio.run(
        extract_to_raw(config, tables, months, Path(data_dir) / "raw",
                       Path(data_dir) / "warehouse.duckdb", on_job_done=on_job_done, skip=done)
    )  # fmt: skip
    return {table: result.rows for table, result in results.items()}


def run_backfill(first: str, last: str, objects: str, data_dir: Path) -> int:
    """Checks first (months, objects, key, data folder, the API once), then the work."""
    first, last = check_month_range(first, last)
    tables = [t for t in objects.split(",") if t] or raw_tables()
    if unknown := [t for t in tables if t not in raw_tables()]:
        print(f"unknown --objects {','.join(unknown)}; valid: {','.join(raw_tables())}",
              file=sys.stderr)  # fmt: skip
        return 2
    settings = stripe_settings(presets=PRESET_NAMES)
    if not settings.api_key:
        raise SettingsError("set STRIPE_API_KEY (and STRIPE_API_BASE for the sandbox)")
    check_data_dir(data_dir)
    check_stripe_reachable(settings.api_key, settings.api_base, settings.stripe_account)
    config = StripeHttp(settings.api_key, settings.api_base, settings.stripe_account)
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else PIPE_WIDTH)
    with RunProgress(console) as shown:
        rows = backfill(config, data_dir, months_between(first, last), tables, shown)
    print("Backfill complete: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
    return 0


app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


@app.command(help=__doc__)
def command(
    first: Annotated[str, typer.Option("--from", help="YYYY-MM")],
    last: Annotated[str, typer.Option("--to", help="YYYY-MM")],
    objects: Annotated[str, typer.Option(help="comma-separated raw tables (all)")] = "",
    data_dir: Annotated[Path, typer.Option()] = Path("data"),
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="tracebacks on failure")] = False,
) -> None:
    work = partial(run_backfill, first, last, objects, data_dir)
    raise typer.Exit(run_command(work, verbose=verbose or None))


def main(argv: list[str] | None = None) -> int:
    """The command's exit code (a usage error: 2)."""
    return exit_code(app, argv, "python -m pipeline.cli.backfill")


if __name__ == "__main__":
    sys.exit(main())
