"""`make run` as a new user sees it: a bar per stage and the summary, the logs in a file.

`python -m pipeline.cli.run` (what `make run` runs) twice on the small sandbox
account, in a folder of its own with a Dagster instance of its own: each run
prints at most 60 lines, names its log file (which holds Dagster's DEBUG lines
and dbt's), leaves named runs in the instance (no `__ephemeral_asset_job__`),
materializes `events/event_sync`, and the second run's forged deliveries are
the first run's: no new forged event, no new exception (validate or receive).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
STAGES = ("Balance snapshot", "Extraction", "Webhook delivery", "Event processing",
          "dbt build", "Publishing")  # fmt: skip
WHOLE_EXTRACTION = re.compile(r" (\d+)/\1 jobs +[\d,]+ objects · months (\d+)/\2 · ")
WHOLE_DBT_BUILD = re.compile(r" (\d+)/\1 nodes ")
JOBS = {"take_balance_snapshot", "extract_raw", "process_events", "build_marts"}


def make_run(workdir: Path, dagster_home: Path) -> list[str]:
    """The stdout lines of one `make run` in `workdir` (it writes `workdir/data`)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "DAGSTER_HOME"))}
    env = {**base, "STRIPE_SANDBOX_PRESET": "small", "DAGSTER_HOME": str(dagster_home)}
    done = subprocess.run([sys.executable, "-m", "pipeline.cli.run"], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=1500)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr == "", done.stderr[-3000:]  # Dagster's and dbt's logs are in the file
    return done.stdout.splitlines()


def validation_state(warehouse: Path) -> tuple[int, dict[str, int]]:
    """(forged events, exceptions by stage) in the warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        forged = con.execute(
            "select count(*) from events.events where validation_status = 'forged'"
        ).fetchone()[0]
        exceptions = con.execute(
            "select stage, count(*) from events.event_processing_exceptions group by stage"
        ).fetchall()
    return forged, dict(exceptions)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The stdout of two `make run`s in one folder, the state after each, the instance."""
    workdir = tmp_path_factory.mktemp("make_run")
    dagster_home = workdir / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", dagster_home / "dagster.yaml")
    first = make_run(workdir, dagster_home)
    after_first = validation_state(workdir / "data" / "warehouse.duckdb")
    second = make_run(workdir, dagster_home)
    after_second = validation_state(workdir / "data" / "warehouse.duckdb")
    return workdir, dagster_home, (first, second), (after_first, after_second)


def test_each_run_prints_a_bar_per_stage_and_at_most_60_lines(two_runs):
    for lines in two_runs[2]:
        assert len(lines) <= 60, "\n".join(lines)
        for stage in STAGES:
            assert sum(1 for line in lines if line.startswith(stage)) == 1, stage
        bars = {line.split("  ")[0]: line for line in lines if line.startswith(STAGES)}
        assert WHOLE_EXTRACTION.search(bars["Extraction"]), bars["Extraction"]
        assert WHOLE_DBT_BUILD.search(bars["dbt build"]), bars["dbt build"]
        assert any(line.startswith("Events by status: ") for line in lines)
        assert any(line.startswith("Balance, latest month (minor units)") for line in lines)


def test_the_log_file_is_named_at_the_start_and_the_end_and_holds_the_logs(two_runs):
    workdir, _, outputs, _ = two_runs
    paths = set()
    for lines in outputs:
        [start] = re.findall(r"log to (\S+)", lines[0])
        assert lines[-1] == f"Log of this run: {start}"
        log = (workdir / start).read_text()
        assert re.search(r" - DEBUG - extract_raw - .* - RUN_SUCCESS - ", log)
        assert " - DEBUG - build_marts - " in log and "STEP_SUCCESS" in log
        assert "Running with dbt=" in log  # dbt's own lines
        paths.add(start)
    assert len(paths) == 2 and all(p.startswith("data/logs/run-") for p in paths)


def test_the_instance_holds_named_runs_and_event_sync_is_materialized(two_runs):
    _, dagster_home, _, _ = two_runs
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs()
        assert {run.job_name for run in runs} == JOBS
        assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)
        assert len(runs) == 2 * len(JOBS)
        sync = instance.get_latest_materialization_event(dg.AssetKey(["events", "event_sync"]))
        assert sync is not None


def test_a_second_run_adds_no_forged_event_nor_exception(two_runs):
    outputs, (after_first, after_second) = two_runs[2], two_runs[3]
    assert after_first[0] == 1  # the unknown-id forgery
    assert after_first[1]["validate"] >= 1 and after_first[1]["receive"] == 1  # wrong secret
    assert after_second == after_first
    statuses = [next(ln for ln in lines if ln.startswith("Events by status")) for lines in outputs]
    assert "forged 1," in statuses[0] and statuses[0] == statuses[1]
