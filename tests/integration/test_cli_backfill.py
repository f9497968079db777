"""A backfill of a month range from the Dagster CLI materializes exactly those months."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb


def test_partition_range_from_the_cli_lands_exactly_those_months(sandbox, tmp_path: Path):
    env = {
        **os.environ,
        "STRIPE_API_KEY": sandbox.api_key,
        "STRIPE_API_BASE": sandbox.base_url,
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    (tmp_path / "dagster_home").mkdir()
    command = [
        sys.executable, "-m", "dagster", "asset", "materialize", "-m", "pipeline.defs.definitions",
        "--select", "stripe/charges,stripe/payouts", "--partition-range", "2026-08...2026-09",
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert sandbox.api_key not in done.stdout + done.stderr, "the key reached the logs"

    raw = tmp_path / "data" / "raw" / "stripe"
    assert sorted(p.name for p in (raw / "charges").iterdir()) == ["month=2026-08", "month=2026-09"]
    assert not (raw / "customers").exists(), "an unselected asset was materialized"
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        months = con.execute("select distinct month from raw_stripe.charges order by 1").fetchall()
    assert [m for (m,) in months] == ["2026-08", "2026-09"]
