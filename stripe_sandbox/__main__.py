"""`python -m stripe_sandbox serve | generate | summary | deliver | conformance`.

Every command takes the account: `--preset` (generated on first use, then cached
under `--data-dir`) and `--seed`, or `--account PATH`. `serve` takes one option per
realism knob (`--latency-ms`, `--rate-limit`, …; `serve --help` lists them).
"""

from __future__ import annotations

import inspect
import logging
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn

from stripe_sandbox.conformance.report import conformance as probe
from stripe_sandbox.conformance.report import print_report
from stripe_sandbox.generator import ensure_account
from stripe_sandbox.listing import AccountListing
from stripe_sandbox.realism import RealismConfig, cli_flag
from stripe_sandbox.running import API_KEY, DEFAULT_DATA_DIR, SandboxServer
from stripe_sandbox.server import SandboxApp
from stripe_sandbox.store import open_reader, read_meta
from stripe_sandbox.webhooks import FORGERIES
from stripe_sandbox.webhooks import deliver as deliver_events

Preset = Annotated[str, typer.Option(help="the generated account's preset")]
Seed = Annotated[int | None, typer.Option(help="the generator's seed (default: the preset's)")]
DataDir = Annotated[Path, typer.Option(help="where generated accounts are cached")]
Account = Annotated[Path | None, typer.Option(help="an account file instead of a preset")]
Key = Annotated[str | None, typer.Option(help="accept only this key (sk_test_…); default any")]

app = typer.Typer(
    help=__doc__, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False
)


def account_path(preset: str, seed: int | None, data_dir: Path, account: Path | None) -> Path:
    """`--account PATH` as given, else the preset's account (generated if not cached)."""
    return account or ensure_account(preset, seed=seed, data_dir=data_dir)


def with_realism_options(command: Callable[..., None]) -> Callable[..., None]:
    """`command` taking one keyword option per realism knob, its value under the knob's name."""
    knobs = [
        inspect.Parameter(
            knob.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=type(knob.default),
            default=typer.Option(knob.default, cli_flag(knob.name), help=knob.metadata["help"]),
        )
        for knob in fields(RealismConfig)
    ]
    own = inspect.signature(command)
    params = [p for p in own.parameters.values() if p.kind != p.VAR_KEYWORD]
    command.__signature__ = own.replace(parameters=[*params, *knobs])  # what typer reads
    return command


@app.command()
@with_realism_options
def serve(
    preset: Preset = "default",
    seed: Seed = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    account: Account = None,
    host: str = "127.0.0.1",
    port: int = 12111,
    key: Key = None,
    **knobs: Any,
) -> None:
    """Serve the account's Stripe API over HTTP until stopped."""
    config = RealismConfig(**knobs)
    sandbox = SandboxApp(account_path(preset, seed, data_dir, account), config, api_key=key)
    logging.getLogger("uvicorn.error").addFilter(
        lambda record: "without completing response" not in record.getMessage()
    )  # dropped connections (--drop-rate) are on purpose
    shown_key = key or f"{API_KEY} or any sk_test_…"
    print(f"Stripe sandbox at http://{host}:{port}  (test key: {shown_key})", flush=True)
    uvicorn.run(sandbox, host=host, port=port, log_level="warning", access_log=False,
                http="httptools", loop="uvloop", lifespan="on")  # fmt: skip


def resource_counts(path: Path) -> dict[str, tuple[int, int]]:
    """Listed (not deleted) objects per resource: (platform, connected accounts)."""
    with open_reader(path) as db:
        rows = db.execute(
            "select resource, sum(account = ''), sum(account != '') from objects"
            " where deleted = 0 group by resource order by resource"
        ).fetchall()
    return {resource: (platform, connected) for resource, platform, connected in rows}


def print_summary(path: Path) -> None:
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


@app.command()
def summary(
    preset: Preset = "default", seed: Seed = None, data_dir: DataDir = DEFAULT_DATA_DIR,
    account: Account = None,
) -> None:  # fmt: skip
    """Print what the account holds, per resource (generated first if not cached)."""
    print_summary(account_path(preset, seed, data_dir, account))


app.command("generate", help="Generate the account (unless cached) and print what it holds.")(
    summary
)


def one_of(choices: tuple[str, ...]) -> Callable[[str | None], str | None]:
    """An option callback refusing values outside `choices` (a usage error)."""

    def checked(value: str | None) -> str | None:
        if value is not None and value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return checked


@app.command()
def deliver(
    url: Annotated[str, typer.Option(help="the webhook endpoint")],
    secret: Annotated[str, typer.Option(help="the endpoint's signing secret (whsec_…)")],
    preset: Preset = "default",
    seed: Seed = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    account: Account = None,
    since: Annotated[int, typer.Option(help="Unix seconds")] = 0,
    limit: int = -1,
    forge: Annotated[str | None, typer.Option(callback=one_of(FORGERIES))] = None,
) -> None:
    """POST the account's events to `--url`, signed as Stripe signs them (or forged)."""
    events = AccountListing(account_path(preset, seed, data_dir, account)).events_oldest_first(
        since=since, limit=limit
    )
    deliveries = deliver_events(events, url, secret, forge=forge)
    statuses = Counter(str(d.status or "no answer") for d in deliveries)
    print(f"{len(deliveries)} deliveries to {url}: "
          + ", ".join(f"{status} × {n}" for status, n in sorted(statuses.items())))  # fmt: skip


@app.command()
def conformance(
    preset: Preset = "default",
    seed: Seed = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    account: Account = None,
    base_url: Annotated[str | None, typer.Option(help="probe this server")] = None,
    key: Annotated[str | None, typer.Option(help="the API key to probe with")] = None,
    verbose: Annotated[bool, typer.Option(help="list what conforms too")] = False,
) -> None:
    """Probe a sandbox (started here unless `--base-url`) against the SDK's contract."""
    if base_url:
        findings = probe(base_url, key or API_KEY)
    else:
        with SandboxServer(account_path(preset, seed, data_dir, account), key=key) as server:
            findings = probe(server.base_url, server.api_key)
    raise typer.Exit(print_report(findings, verbose=verbose))


def main(argv: list[str] | None = None) -> int:
    """The command's exit code (a usage error: 2)."""
    try:
        app(argv, prog_name="python -m stripe_sandbox")
    except SystemExit as done:
        if isinstance(done.code, str):
            raise
        return int(done.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
