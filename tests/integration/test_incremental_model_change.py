"""An incremental model whose SQL file changed rebuilds all its keys; an unchanged one only its
batch (the watermark holds the model's checksum, dbt_project/macros/incremental.sql).

A copy of the dbt project builds a copy of the pipeline's warehouse incrementally; then one
staging model's file is edited in the copy and the project is built again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
EDITED, UNCHANGED = "stg_stripe__charges", "stg_stripe__customers"


def dbt_build(project: Path, warehouse: Path, scratch: Path) -> None:
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "build", "--exclude-resource-type", "unit_test", "--project-dir",
               str(project), "--profiles-dir", str(project), "--target-path",
               str(scratch / "target"), "--log-path", str(scratch / "logs")]  # fmt: skip
    env = os.environ | {"WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-6000:]


def batch_and_rows(warehouse: Path, model: str) -> tuple[int, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        batch = con.execute(f"select count(*) from incremental.batch_{model}").fetchone()[0]
        rows = con.execute(f"select count(*) from staging.{model}").fetchone()[0]
    return batch, rows


def test_a_changed_model_rebuilds_every_key(built_warehouse: Path, tmp_path: Path) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(PROJECT, project, ignore=shutil.ignore_patterns("target", "logs"))
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    # Tests before this one may have extracted into the shared warehouse: one build takes
    # that in, and a second, with nothing changed in between, has empty batches.
    dbt_build(project, warehouse, tmp_path)
    dbt_build(project, warehouse, tmp_path)
    assert batch_and_rows(warehouse, EDITED)[0] == 0
    assert batch_and_rows(warehouse, UNCHANGED)[0] == 0

    model = project / "models" / "staging" / "stripe" / f"{EDITED}.sql"
    model.write_text(model.read_text() + "\n{# edited: its rows are built again #}\n")
    dbt_build(project, warehouse, tmp_path)
    batch, rows = batch_and_rows(warehouse, EDITED)
    assert batch == rows > 0
    assert batch_and_rows(warehouse, UNCHANGED)[0] == 0
