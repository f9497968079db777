"""`python -m pipeline.events.webhooks serve [--host 127.0.0.1] [--port 8787] [--data-dir data]`.

Secrets come from `STRIPE_WEBHOOK_SECRET` (comma-separated while rotating).
"""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from pathlib import Path

import uvicorn

from pipeline.events.webhooks.app import create_app
from pipeline.events.webhooks.config import ReceiverConfig
from pipeline.events.webhooks.protocol import DeadlineH11Protocol
from pipeline.settings import WEBHOOK_SECRET_ENV, webhook_secrets


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pipeline.events.webhooks")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the webhook receiver")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8787)
    serve.add_argument("--data-dir", type=Path, default=Path("data"))
    serve.add_argument("--tolerance", type=int, default=300, help="signature age limit, s")
    serve.add_argument("--max-body-bytes", type=int, default=1024 * 1024)
    serve.add_argument("--max-header-bytes", type=int, default=16 * 1024)
    serve.add_argument("--header-timeout", type=float, default=10.0, help="s to send headers")
    serve.add_argument("--body-timeout", type=float, default=10.0, help="s to send the body")
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxies whose X-Forwarded-For is trusted for the source address",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    secrets = webhook_secrets()
    if not secrets:
        print(f"{WEBHOOK_SECRET_ENV} is not set: every delivery would be refused", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s %(message)s")
    config = ReceiverConfig(
        data_dir=args.data_dir,
        secrets=secrets,
        tolerance_seconds=args.tolerance,
        max_body_bytes=args.max_body_bytes,
        max_header_bytes=args.max_header_bytes,
        body_timeout_seconds=args.body_timeout,
        header_timeout_seconds=args.header_timeout,
    )
    protocol = functools.partial(DeadlineH11Protocol, header_timeout=args.header_timeout)
    uvicorn.run(
        create_app(config),
        host=args.host,
        port=args.port,
        http=protocol,  # h11, with a deadline on request headers
        h11_max_incomplete_event_size=args.max_header_bytes,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        log_level="info",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
