"""`python -m pipeline.cli.backfill --from 2024-01 --to 2024-06`: months of history, resumable.

Prints progress as it goes (jobs and months done, objects, rate, time left).
Every (object, month) replaces its raw partition atomically and is then written
to a checkpoint under `data/state/`, so a backfill that is interrupted and
started again skips what it finished and ends with the same raw layer as one
that ran straight through. In the Dagster UI the same range is a backfill of
the raw assets (one run, `BackfillPolicy.single_run`).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import sys
from pathlib import Path

from pipeline.cli.failures import run_command
from pipeline.extract import StripeHttp
from pipeline.extract.preflight import check_stripe_reachable
from pipeline.months import months_between
from pipeline.raw.loader import JobDone, extract_to_raw, objects_for_tables, raw_tables
from pipeline.settings import SettingsError, check_data_dir, check_month_range, stripe_settings
from stripe_sandbox.starter import PRESET_NAMES


def checkpoint_path(data_dir: Path, tables: list[str], months: list[str]) -> Path:
    key = hashlib.sha256(json.dumps([tables, months]).encode()).hexdigest()[:12]
    return Path(data_dir) / "state" / f"backfill-{months[0]}-{months[-1]}-{key}.jsonl"


def finished_jobs(checkpoint: Path) -> frozenset[tuple[str, str]]:
    if not checkpoint.exists():
        return frozenset()
    lines = checkpoint.read_text().splitlines()
    return frozenset(tuple(json.loads(line)) for line in lines if line.endswith("]"))


def progress_line(job: JobDone, months: int, objects: int, done_before: int) -> str:
    rate = objects / job.seconds if job.seconds else 0.0
    left = (job.total - job.done) * job.seconds / job.done
    return (f"[{job.done + done_before}/{job.total + done_before} jobs] {job.object_name} "
            f"{job.month}: {job.rows} rows · months complete {months} · {objects} objects · "
            f"{rate:,.0f} objects/s · about {left:,.0f} s left")  # fmt: skip


def backfill(config: StripeHttp, data_dir: Path, months: list[str], tables: list[str]) -> dict:
    """Extract `months` of `tables` into `data_dir`, skipping jobs a checkpoint says are done."""
    checkpoint = checkpoint_path(data_dir, tables, months)
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    done = finished_jobs(checkpoint)
    if done:
        print(f"Resuming: {len(done)} (object, month) jobs finished before are skipped")
    jobs_per_month = {m: sum(1 for d in done if d[1] == m) for m in months}
    per_month = len(objects_for_tables(tables))
    objects_total = 0

    def on_job_done(job: JobDone) -> None:
        nonlocal objects_total
        objects_total += job.rows
        with open(checkpoint, "a") as handle:
            handle.write(json.dumps([job.object_name, job.month]) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        jobs_per_month[job.month] = jobs_per_month.get(job.month, 0) + 1
        complete = sum(1 for n in jobs_per_month.values() if n >= per_month)
        print(progress_line(job, complete, objects_total, len(done)), flush=True)

    results = asyncio.run(
        extract_to_raw(config, tables, months, Path(data_dir) / "raw",
                       Path(data_dir) / "warehouse.duckdb", on_job_done=on_job_done, skip=done)
    )  # fmt: skip
    return {table: result.rows for table, result in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.cli.backfill", description=__doc__)
    parser.add_argument("--from", dest="first", required=True, help="YYYY-MM")
    parser.add_argument("--to", dest="last", required=True, help="YYYY-MM")
    parser.add_argument("--objects", default="", help="comma-separated raw tables (all)")
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("-v", "--verbose", action="store_true", help="tracebacks on failure")
    args = parser.parse_args(argv)
    return run_command(lambda: run_backfill(args), verbose=args.verbose or None)


def run_backfill(args: argparse.Namespace) -> int:
    """Checks first (months, objects, key, data folder, the API once), then the work."""
    first, last = check_month_range(args.first, args.last)
    tables = [t for t in args.objects.split(",") if t] or raw_tables()
    if unknown := [t for t in tables if t not in raw_tables()]:
        print(f"unknown --objects {','.join(unknown)}; valid: {','.join(raw_tables())}",
              file=sys.stderr)  # fmt: skip
        return 2
    settings = stripe_settings(presets=PRESET_NAMES)
    if not settings.api_key:
        raise SettingsError("set STRIPE_API_KEY (and STRIPE_API_BASE for the sandbox)")
    check_data_dir(Path(args.data_dir))
    check_stripe_reachable(settings.api_key, settings.api_base, settings.stripe_account)
    config = StripeHttp(settings.api_key, settings.api_base, settings.stripe_account)
    rows = backfill(config, Path(args.data_dir), months_between(first, last), tables)
    print("Backfill complete: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
