"""`make run` as a user sees it: a bar per stage and the summary; Dagster's and dbt's logs
in `data/logs/run-<UTC time>.log`, named at the start and at the end (`-v`: shown live,
without bars)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console

from pipeline.cli.main_job import Shown, run_main_job
from pipeline.cli.progress import ProgressHandler, RunProgress
from pipeline.cli.run_log import log_file_path, run_log

PIPE_WIDTH = 140
"""Columns when stdout is no terminal (a file, CI): each bar and table row one line."""


def run_shown(data_dir: Path, *, verbose: bool = False) -> int:
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else PIPE_WIDTH)
    path = log_file_path(data_dir)
    hint = "" if verbose else " (-v shows them here)"
    print(f"Dagster and dbt log to {path}{hint}")
    try:
        with RunProgress(console, enabled=not verbose) as progress:
            handler = ProgressHandler(progress)
            with run_log(path, handler, console=verbose) as logger:
                return run_main_job(data_dir, Shown(progress, logger, handler))
    finally:
        print(f"Log of this run: {path}")
