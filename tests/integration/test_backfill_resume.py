"""A CLI backfill shows progress; interrupted and started again it skips finished months'
jobs and ends with the same raw layer as a backfill that ran straight through."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.catalog import raw_tables
from pipeline.raw import partition_path
from stripe_sandbox.running import SandboxServer

MONTHS = ("2026-06", "2026-11")


@pytest.fixture(scope="module")
def slow_sandbox(small_account):
    with SandboxServer(small_account, latency_ms=120) as server:
        yield server


def _backfill(sandbox, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "STRIPE_API_KEY": sandbox.api_key, "STRIPE_API_BASE": sandbox.base_url}
    command = [sys.executable, "-m", "pipeline.cli.backfill", "--from", MONTHS[0], "--to",
               MONTHS[1], "--data-dir", str(data_dir)]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def _raw_rows(data_dir: Path) -> dict[str, set]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return {t: set(con.execute(f"select id, month, payload from raw_stripe.{t}").fetchall())
                for t in raw_tables()}  # fmt: skip


def test_interrupted_backfill_resumes_without_redoing_finished_jobs(slow_sandbox, tmp_path):
    interrupted, straight = tmp_path / "interrupted", tmp_path / "straight"
    process = _backfill(slow_sandbox, interrupted)
    checkpoint_dir = interrupted / "state"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        files = list(checkpoint_dir.glob("backfill-*.jsonl"))
        lines = [line for f in files for line in f.read_text().splitlines()]
        if len(lines) >= 12:
            break
        assert process.poll() is None, "the backfill ended before it could be interrupted"
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    scratch = interrupted / "raw" / ".scratch"
    killed_scratch = {p.name for p in scratch.iterdir() if p.is_dir()}
    assert killed_scratch, "the killed backfill left no scratch folder to clean"
    checkpoint = next(checkpoint_dir.glob("backfill-*.jsonl"))
    finished = [tuple(json.loads(line)) for line in checkpoint.read_text().splitlines()]
    stamps = {job: partition_path(interrupted / "raw", job[0], job[1]).stat().st_mtime_ns
              for job in finished}  # fmt: skip

    resumed = _backfill(slow_sandbox, interrupted)
    output = resumed.communicate(timeout=600)[0]
    assert resumed.returncode == 0, output[-2000:]
    assert f"Resuming: {len(set(finished))}" in output
    assert "objects/s" in output and "left" in output and "months complete" in output
    for job, stamp in stamps.items():
        assert partition_path(interrupted / "raw", *job).stat().st_mtime_ns == stamp, job
    assert not killed_scratch & {p.name for p in scratch.iterdir()}, "kept a dead writer's scratch"

    complete = _backfill(slow_sandbox, straight)
    assert complete.wait(timeout=600) == 0
    assert _raw_rows(interrupted) == _raw_rows(straight)
