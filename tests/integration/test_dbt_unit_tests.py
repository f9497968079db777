"""dbt's unit tests pass: the SQL logic on fixed inputs, run here because the scheduled build
leaves them out (`DBT_BUILD_ARGS`, as dbt advises for production runs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


def declared_unit_tests() -> set[str]:
    names = set()
    for path in (PROJECT / "models").rglob("*.yml"):
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", []):
            names.add(test["name"])
    return names


def test_every_dbt_unit_test_passes(built_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, warehouse)  # unit tests read the built models' columns
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "test", "--select", "test_type:unit", "--project-dir", str(PROJECT),
               "--profiles-dir", str(PROJECT), "--target-path", str(tmp_path / "target"),
               "--log-path", str(tmp_path / "logs")]  # fmt: skip
    env = os.environ | {"WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    ran = {
        r["unique_id"].rsplit(".", 1)[-1]: r["status"]
        for r in results
        if r["unique_id"].startswith("unit_test.")  # not the on-run-start hook
    }
    assert set(ran) == declared_unit_tests() and declared_unit_tests()
    assert set(ran.values()) == {"pass"}
