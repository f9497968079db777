"""`python -m stripe_sandbox serve | generate | summary | deliver | conformance`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path

import uvicorn

from stripe_sandbox import realism
from stripe_sandbox.conformance.report import conformance as probe
from stripe_sandbox.conformance.report import print_report
from stripe_sandbox.generator import ensure_account
from stripe_sandbox.listing import AccountListing
from stripe_sandbox.running import API_KEY, DEFAULT_DATA_DIR, SandboxServer
from stripe_sandbox.server import SandboxApp
from stripe_sandbox.store import open_reader, read_meta
from stripe_sandbox.webhooks import FORGERIES
from stripe_sandbox.webhooks import deliver as deliver_events


def account_path(args: argparse.Namespace) -> Path:
    """`--account PATH` as given, else the preset's account (generated if not cached)."""
    if getattr(args, "account", None):
        return Path(args.account)
    return ensure_account(args.preset, seed=args.seed, data_dir=Path(args.data_dir))


def serve(args: argparse.Namespace) -> None:
    app = SandboxApp(account_path(args), realism.config_from_args(args), api_key=args.key)
    logging.getLogger("uvicorn.error").addFilter(
        lambda record: "without completing response" not in record.getMessage()
    )  # dropped connections (--drop-rate) are on purpose
    key = args.key or f"{API_KEY} or any sk_test_…"
    print(f"Stripe sandbox at http://{args.host}:{args.port}  (test key: {key})", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                http="httptools", loop="uvloop", lifespan="on")  # fmt: skip


def resource_counts(path: Path) -> dict[str, tuple[int, int]]:
    """Listed (not deleted) objects per resource: (platform, connected accounts)."""
    with open_reader(path) as db:
        rows = db.execute(
            "select resource, sum(account = ''), sum(account != '') from objects"
            " where deleted = 0 group by resource order by resource"
        ).fetchall()
    return {resource: (platform, connected) for resource, platform, connected in rows}


def summary(args: argparse.Namespace) -> None:
    path = account_path(args)
    counts = resource_counts(path)
    with open_reader(path) as db:
        meta = read_meta(db)
    connected = meta.get("connected_accounts") or "-"
    print(f"{path}  preset={meta.get('preset')} seed={meta.get('seed')} "
          f"clock={meta.get('clock')} connected={connected}")  # fmt: skip
    print(f"  {'resource':<22} {'platform':>10} {'connected':>10}")
    for resource, (platform, connected_count) in counts.items():
        print(f"  {resource:<22} {platform:>10,} {connected_count:>10,}")
    totals = [sum(column) for column in zip(*counts.values(), strict=True)] or [0, 0]
    print(f"  {'total':<22} {totals[0]:>10,} {totals[1]:>10,}")


def deliver(args: argparse.Namespace) -> None:
    events = AccountListing(account_path(args)).events_oldest_first(
        since=args.since, limit=args.limit
    )
    deliveries = deliver_events(events, args.url, args.secret, forge=args.forge)
    statuses = Counter(str(d.status or "no answer") for d in deliveries)
    print(f"{len(deliveries)} deliveries to {args.url}: "
          + ", ".join(f"{status} × {n}" for status, n in sorted(statuses.items())))  # fmt: skip


def conformance(args: argparse.Namespace) -> None:
    """Probe a sandbox (started here unless `--base-url`) against the SDK's contract."""
    if args.base_url:
        findings = probe(args.base_url, args.key or API_KEY)
    else:
        with SandboxServer(account_path(args), key=args.key) as server:
            findings = probe(server.base_url, server.api_key)
    sys.exit(print_report(findings, verbose=args.verbose))


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m stripe_sandbox", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    for name, run in (("serve", serve), ("generate", summary), ("summary", summary),
                      ("deliver", deliver), ("conformance", conformance)):  # fmt: skip
        command = commands.add_parser(name)
        command.set_defaults(run=run)
        command.add_argument("--preset", default="default")
        command.add_argument("--seed", type=int, default=None)
        command.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
        command.add_argument("--account", help="an account file instead of a preset")
    serve_command = commands.choices["serve"]
    serve_command.add_argument("--host", default="127.0.0.1")
    serve_command.add_argument("--port", type=int, default=12111)
    serve_command.add_argument("--key", help="accept only this key (sk_test_…); default any")
    realism.add_cli_flags(serve_command)
    check = commands.choices["conformance"]
    check.add_argument("--base-url", help="probe this server instead of starting one")
    check.add_argument("--key", help="the API key to probe with")
    check.add_argument("--verbose", action="store_true", help="list what conforms too")
    deliver_command = commands.choices["deliver"]
    deliver_command.add_argument("--url", required=True)
    deliver_command.add_argument("--secret", required=True)
    deliver_command.add_argument("--since", type=int, default=0, help="Unix seconds")
    deliver_command.add_argument("--limit", type=int, default=-1)
    deliver_command.add_argument("--forge", choices=FORGERIES, default=None)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
