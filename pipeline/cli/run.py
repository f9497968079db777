"""`make run`: the main job, end to end, on the embedded sandbox unless a key is set.

1. extract every month of every object into the raw layer (one Dagster run);
2. the sandbox delivers its recent events to the webhook receiver (plus a
   forged one, to show it changes nothing); they are validated and processed;
3. dbt builds staging and marts; the marts are published for BI tools;
4. what landed is printed next to what the account holds.

Before any of it, and before Dagster and dbt are even imported (seconds), the
settings are checked, the data folder too, and the API is asked once: a wrong
one is a single line and a non-zero exit, with nothing written. Whatever stops
a run later is one line as well; `STRIPE_WAREHOUSE_DEBUG=1` shows tracebacks.
The steps live in `pipeline.cli.main_job`, imported once the checks have passed.

It prints a bar per stage and the summary; Dagster's and dbt's logs go to
`data/logs/run-<UTC time>.log`. `-v` (`make run V=1`) shows them live, and the
traceback of a failure.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.failures import run_command
from pipeline.extract.preflight import check_stripe_reachable
from pipeline.settings import check_data_dir, stripe_settings
from stripe_sandbox.starter import PRESET_NAMES


def check_before_work(data_dir: Path) -> None:
    """Every setting, the data folder and the API (once, briefly) before anything runs."""
    settings = stripe_settings(presets=PRESET_NAMES)
    check_data_dir(data_dir)
    if settings.api_key:
        check_stripe_reachable(settings.api_key, settings.api_base, settings.stripe_account)


def _checked_run(data_dir: Path, verbose: bool) -> int:
    check_before_work(data_dir)
    # Deferred on purpose, not for a cycle: Dagster and dbt take seconds to import,
    # and a wrong setting is reported before they are.
    shown_run = importlib.import_module("pipeline.cli.shown_run")
    return shown_run.run_shown(data_dir, verbose=verbose)


def main(data_dir: Path = Path("data"), verbose: bool = False) -> int:
    """The main job; whatever stops it is one line (`-v` or `STRIPE_WAREHOUSE_DEBUG=1`:
    the traceback)."""
    return run_command(lambda: _checked_run(data_dir, verbose), verbose=verbose or None)


def command(
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Show Dagster's and dbt's logs live.")
    ] = False,
    data_dir: Annotated[Path, typer.Option(help="Where the run writes.")] = Path("data"),
) -> None:
    """`make run`: the main job, end to end (the embedded sandbox unless STRIPE_API_KEY is set)."""
    raise typer.Exit(main(data_dir, verbose))


if __name__ == "__main__":
    typer.run(command)
