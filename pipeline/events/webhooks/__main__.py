"""`python -m pipeline.events.webhooks serve [--host 127.0.0.1] [--port 8787] [--data-dir data]`.

Secrets come from `STRIPE_WEBHOOK_SECRET` (comma-separated while rotating).
"""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from pipeline.commands import exit_code
from pipeline.events.webhooks.app import create_app
from pipeline.events.webhooks.config import ReceiverConfig
from pipeline.events.webhooks.protocol import DeadlineH11Protocol
from pipeline.settings import WEBHOOK_SECRET_ENV, webhook_secrets

app = typer.Typer(
    help=__doc__, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False
)


@app.callback()
def receiver() -> None:
    pass  # a group, so that `serve` stays a subcommand (typer runs a lone command bare)


@app.command(help="run the webhook receiver")
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8787,
    data_dir: Annotated[Path, typer.Option()] = Path("data"),
    tolerance: Annotated[int, typer.Option(help="signature age limit, s")] = 300,
    max_body_bytes: Annotated[int, typer.Option()] = 1024 * 1024,
    max_header_bytes: Annotated[int, typer.Option()] = 16 * 1024,
    header_timeout: Annotated[float, typer.Option(help="s to send headers")] = 10.0,
    body_timeout: Annotated[float, typer.Option(help="s to send the body")] = 10.0,
    forwarded_allow_ips: Annotated[
        str, typer.Option(help="proxies whose X-Forwarded-For is trusted for the source address")
    ] = "127.0.0.1",
) -> None:
    secrets = webhook_secrets()
    if not secrets:
        print(f"{WEBHOOK_SECRET_ENV} is not set: every delivery would be refused", file=sys.stderr)
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s %(message)s")
    config = ReceiverConfig(
        data_dir=data_dir,
        secrets=secrets,
        tolerance_seconds=tolerance,
        max_body_bytes=max_body_bytes,
        max_header_bytes=max_header_bytes,
        body_timeout_seconds=body_timeout,
        header_timeout_seconds=header_timeout,
    )
    protocol = functools.partial(DeadlineH11Protocol, header_timeout=header_timeout)
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        http=protocol,  # h11, with a deadline on request headers
        h11_max_incomplete_event_size=max_header_bytes,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        log_level="info",
    )


def main(argv: list[str] | None = None) -> int:
    """The command's exit code (a usage error: 2)."""
    return exit_code(app, argv, "python -m pipeline.events.webhooks")


if __name__ == "__main__":
    raise SystemExit(main())
