"""Full re-sync: empty `data/` (and, on DuckLake, the lake) and pull everything from Stripe again.

The origin's promise: the warehouse is a cache of what exists in Stripe, so
truncating it and extracting again loses nothing. Kept: the Dagster instance
(run history), the sandbox's generated accounts (they stand for Stripe) and the
purge register (a purge stays in force). Everything else under `data/` goes.

    python -m pipeline.cli.resync --yes      # or: make resync
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.failures import run_command
from pipeline.cli.run import check_before_work
from pipeline.cli.run import main as run_main
from pipeline.commands import exit_code
from pipeline.raw.warehouse import empty_lake

KEPT = frozenset({"README.md", "dagster_home", "sandbox", "purges"})


def empty_data_dir(data_dir: Path) -> list[Path]:
    """Remove everything under `data_dir` but what must survive; what was removed."""
    removed = []
    for path in sorted(Path(data_dir).iterdir()) if Path(data_dir).exists() else []:
        if path.name in KEPT:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(path)
    return removed


app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


@app.command(help=__doc__)
def command(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="really empty data/ first")] = False,
    data_dir: Annotated[Path, typer.Option()] = Path("data"),
) -> None:
    if not yes:
        ctx.fail("this empties data/ (but for run history, sandbox and purges): pass --yes")
    raise typer.Exit(run_command(lambda: resync(data_dir)))


def main(argv: list[str] | None = None) -> int:
    """The command's exit code (a usage error: 2)."""
    return exit_code(app, argv, "python -m pipeline.cli.resync")


def resync(data_dir: Path) -> int:
    """Settings and the API checked first: a wrong one empties nothing."""
    check_before_work(data_dir)
    for path in empty_data_dir(data_dir):
        print(f"removed {path}")
    for schema in empty_lake():
        print(f"dropped the lake's schema {schema}")
    return run_main(data_dir)


if __name__ == "__main__":
    sys.exit(main())
