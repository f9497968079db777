"""`python -m pipeline.cli.events run | reprocess` — the event steps without Dagster.

STRIPE_API_KEY=sk_test_… python -m pipeline.cli.events run --api-base http://127.0.0.1:12111
python -m pipeline.cli.events reprocess --types charge.refunded --since 2026-11-01T00:00:00+00:00
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

import duckdb

from pipeline.events.fetch import SdkLookup
from pipeline.events.reprocess import reprocess
from pipeline.events.schema import ensure_schema
from pipeline.events.sweep import run_events
from pipeline.settings import stripe_settings


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pipeline.cli.events")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "reprocess"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--warehouse", type=Path, default=Path("data/warehouse.duckdb"))
        cmd.add_argument("--data-dir", type=Path, default=Path("data"))
        cmd.add_argument("--api-base", default=None, help="Stripe API base (a sandbox)")
        cmd.add_argument("--now", type=int, default=None, help="clock for the 30-day rule")
    again = sub.choices["reprocess"]
    again.add_argument("--ids", nargs="*", default=None)
    again.add_argument("--types", nargs="*", default=None)
    again.add_argument("--since", type=datetime.fromisoformat, default=None)
    again.add_argument("--until", type=datetime.fromisoformat, default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    api_key = stripe_settings().api_key
    if not api_key:
        print("STRIPE_API_KEY is not set", file=sys.stderr)
        return 2
    lookup = SdkLookup.for_base(api_key, args.api_base)
    if args.command == "run":
        summary = run_events(args.warehouse, args.data_dir, lookup, now=args.now)
        print(
            f"landed {summary.ingested.events} new, listed {summary.listed} new, "
            f"refused {summary.ingested.rejections}, torn {summary.ingested.torn_lines}"
        )
        print(f"validation {summary.validation}  processing {summary.processing}")
        counts = summary.statuses
    else:
        with duckdb.connect(str(args.warehouse)) as conn:
            ensure_schema(conn)
            counts = reprocess(
                conn,
                args.data_dir / "raw",
                lookup,
                ids=args.ids,
                types=args.types,
                since=args.since,
                until=args.until,
                now=args.now,
            )
    for status, count in sorted(counts.items()):
        print(f"  {status:<16} {count:>8,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
