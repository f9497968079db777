"""A data folder that cannot be written, or a disk that fills up, is one line, no traceback.

Real file systems: a tmpfs mounted read-only, and one of 300 KiB that the run
fills. Mounting needs root (CAP_SYS_ADMIN); without it these tests are skipped.
The commands run as users run them, against the sandbox over HTTP.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tmpfs(folder: Path, *, size: str = "4m", read_only: bool = False) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def run(args: list[str], cwd: Path, sandbox, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "DAGSTER_HOME"))}
    env = {**base, "STRIPE_API_KEY": sandbox.api_key, "STRIPE_API_BASE": sandbox.base_url, **env}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def last_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "Stack Trace" not in output, output[-3000:]
    line = done.stderr.splitlines()[-1]
    assert line.startswith("error: ")
    return line


def backfill(data_dir: Path) -> list[str]:
    return [
        "pipeline.cli.backfill",
        "--from",
        "2026-09",
        "--to",
        "2026-11",
        "--data-dir",
        str(data_dir),
    ]


def test_a_read_only_data_folder_is_refused_before_work(sandbox, tmp_path):
    with tmpfs(tmp_path / "data", read_only=True):
        for args in (["pipeline.cli.run"], backfill(tmp_path / "data")):
            done = run(args, tmp_path, sandbox)
            assert len(done.stderr.splitlines()) == 1
            line = last_error_line(done)
            assert "data is not writable (Read-only file system)" in line


def test_a_raw_folder_that_turns_out_read_only_is_one_line(sandbox, tmp_path):
    with tmpfs(tmp_path / "data" / "raw", read_only=True):
        line = last_error_line(run(backfill(tmp_path / "data"), tmp_path, sandbox))
    assert line.startswith(f"error: cannot write {tmp_path}/data/raw/")
    assert "(Read-only file system): make the data folder writable" in line


def test_a_full_disk_is_one_line_in_make_run_and_the_backfill(sandbox, tmp_path):
    with tmpfs(tmp_path / "data", size="300k"):
        made = run(["pipeline.cli.run"], tmp_path, sandbox, STRIPE_START_MONTH="2026-09")
    assert last_error_line(made).startswith(f"error: no space left on the disk writing {tmp_path}")
    with tmpfs(tmp_path / "other", size="300k"):
        done = run(backfill(tmp_path / "other"), tmp_path, sandbox)
    line = last_error_line(done)
    assert line.startswith(f"error: no space left on the disk writing {tmp_path}/other/")
    assert "MB free): free some space" in line
