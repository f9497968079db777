"""`python -m pipeline.cli.events run | reprocess` — the event steps without Dagster.

\b
STRIPE_API_KEY=sk_test_… python -m pipeline.cli.events run --api-base http://127.0.0.1:12111
python -m pipeline.cli.events reprocess --types charge.refunded --since 2026-11-01T00:00:00+00:00

`--ids` and `--types` take one value each: repeat them for more.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from pipeline.commands import exit_code
from pipeline.events.fetch import SdkLookup
from pipeline.events.reprocess import reprocess
from pipeline.events.schema import ensure_schema
from pipeline.events.sweep import run_events
from pipeline.raw.warehouse import open_warehouse
from pipeline.settings import stripe_settings

Warehouse = Annotated[Path, typer.Option()]
DataDir = Annotated[Path, typer.Option()]
ApiBase = Annotated[str | None, typer.Option(help="Stripe API base (a sandbox)")]
Now = Annotated[int | None, typer.Option(help="clock for the 30-day rule")]
Values = Annotated[list[str] | None, typer.Option(help="repeat for more than one")]
Moment = Annotated[datetime | None, typer.Option(parser=datetime.fromisoformat)]

app = typer.Typer(
    help=__doc__, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False
)


def sdk_lookup(api_base: str | None) -> SdkLookup:
    """The official SDK on STRIPE_API_KEY; without a key, one line and exit code 2."""
    api_key = stripe_settings().api_key
    if not api_key:
        print("STRIPE_API_KEY is not set", file=sys.stderr)
        raise typer.Exit(2)
    return SdkLookup.for_base(api_key, api_base)


def print_statuses(counts: dict[str, int]) -> None:
    for status, count in sorted(counts.items()):
        print(f"  {status:<16} {count:>8,}")


@app.command("run")
def run_new_events(
    warehouse: Warehouse = Path("data/warehouse.duckdb"),
    data_dir: DataDir = Path("data"),
    api_base: ApiBase = None,
    now: Now = None,
) -> None:
    """Land new deliveries, list missed events, validate and process them."""
    summary = run_events(warehouse, data_dir, sdk_lookup(api_base), now=now)
    print(
        f"landed {summary.ingested.events} new, listed {summary.listed} new, "
        f"refused {summary.ingested.rejections}, torn {summary.ingested.torn_lines}"
    )
    print(f"validation {summary.validation}  processing {summary.processing}")
    print_statuses(summary.statuses)


@app.command("reprocess")
def reprocess_failed(
    warehouse: Warehouse = Path("data/warehouse.duckdb"),
    data_dir: DataDir = Path("data"),
    api_base: ApiBase = None,
    now: Now = None,
    ids: Values = None,
    types: Values = None,
    since: Moment = None,
    until: Moment = None,
) -> None:
    """Process failed (or chosen) events again."""
    lookup = sdk_lookup(api_base)
    with open_warehouse(warehouse) as conn:
        ensure_schema(conn)
        counts = reprocess(conn, data_dir / "raw", lookup, ids=ids, types=types,
                           since=since, until=until, now=now)  # fmt: skip
    print_statuses(counts)


def main(argv: list[str] | None = None) -> int:
    """The command's exit code (a usage error: 2)."""
    return exit_code(app, argv, "python -m pipeline.cli.events")


if __name__ == "__main__":
    raise SystemExit(main())
