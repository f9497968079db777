"""`python -m pipeline.cli.pools` (what `make ui` runs first) sets the Dagster pool
`warehouse` on the instance to the backend's writers: 1 for the file, WAREHOUSE_WRITERS on
a lake; jobs writing the whole warehouse carry the run-queue tag on the file only."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg

from pipeline.defs.pools import whole_warehouse_tags
from pipeline.raw.backend import warehouse_backend

REPO = Path(__file__).resolve().parents[2]
LAKE = {"WAREHOUSE": "ducklake", "DUCKLAKE_CATALOG": "dbname=lake host=127.0.0.1",
        "DUCKLAKE_DATA_PATH": "/srv/lake"}  # fmt: skip


def set_pool(home: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WAREHOUSE", "DUCKLAKE_"))}
    return subprocess.run([sys.executable, "-m", "pipeline.cli.pools"], capture_output=True,
                          text=True, env={**base, "DAGSTER_HOME": str(home), **env})  # fmt: skip


def pool_limit(home: Path) -> int | None:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return instance.event_log_storage.get_concurrency_info("warehouse").slot_count


def test_the_pool_follows_the_backend_each_time_it_is_set(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    lake = set_pool(home, **LAKE, WAREHOUSE_WRITERS="3")
    assert lake.returncode == 0, lake.stderr
    assert lake.stdout.strip() == "Dagster pool warehouse: 3 writers at once (DuckLake)"
    assert pool_limit(home) == 3
    file = set_pool(home)
    assert file.stdout.strip() == "Dagster pool warehouse: 1 writer at once (one DuckDB file)"
    assert pool_limit(home) == 1


def test_a_mistyped_backend_is_one_line_and_changes_nothing(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    assert set_pool(home, **LAKE).returncode == 0
    wrong = set_pool(home, WAREHOUSE="duck-lake")
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr.strip().splitlines() == [
        "error: WAREHOUSE='duck-lake' is not one of duckdb, ducklake"
    ]
    assert pool_limit(home) == 4


def test_whole_warehouse_jobs_queue_one_at_a_time_on_the_file_only():
    assert whole_warehouse_tags(warehouse_backend({})) == {"dagster/concurrency_key": "warehouse"}
    assert whole_warehouse_tags(warehouse_backend(LAKE)) == {}
