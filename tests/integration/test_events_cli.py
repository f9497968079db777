"""`python -m pipeline.cli.events`: repeated `--ids` choose exactly those events; no key is
one line and exit code 2.

Run as a user runs it (a subprocess) against the sandbox, over a copy of the pipeline's
warehouse in which three processed events are marked failed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

pytestmark = pytest.mark.slow


def events_cli(*args: str, key: str | None, cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    env |= {"STRIPE_API_KEY": key} if key else {}
    return subprocess.run([sys.executable, "-m", "pipeline.cli.events", *args], env=env,
                          cwd=cwd, capture_output=True, text=True, timeout=300)  # fmt: skip


def test_reprocess_takes_each_repeated_id_and_only_those(pipeline_run, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(pipeline_run.warehouse, warehouse)
    shutil.copytree(pipeline_run.raw_dir, tmp_path / "raw")
    with duckdb.connect(str(warehouse)) as con:
        chosen = [row[0] for row in con.execute(
            "select id from events.events where status = 'processed' order by id limit 3"
        ).fetchall()]  # fmt: skip
        con.execute("update events.events set status = 'handler_failed' where id in"
                    " (select unnest(?))", [chosen])  # fmt: skip
    sandbox = pipeline_run.sandbox
    done = events_cli("reprocess", "--warehouse", str(warehouse), "--data-dir", str(tmp_path),
                      "--api-base", sandbox.base_url, "--ids", chosen[0], "--ids", chosen[1],
                      key=sandbox.api_key, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = dict(con.execute("select id, status from events.events where id in"
                                    " (select unnest(?))", [chosen]).fetchall())  # fmt: skip
    assert statuses == {chosen[0]: "processed", chosen[1]: "processed",
                        chosen[2]: "handler_failed"}  # fmt: skip
    assert "processed" in done.stdout


def test_without_a_key_it_says_so_in_one_line_and_exits_2(tmp_path):
    done = events_cli("reprocess", "--warehouse", str(tmp_path / "w.duckdb"), key=None,
                      cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == "STRIPE_API_KEY is not set"
