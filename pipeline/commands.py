"""Typer applications as command-line entry points that return their exit code."""

from __future__ import annotations

import typer


def exit_code(app: typer.Typer, argv: list[str] | None, prog_name: str) -> int:
    """Run `app` on `argv`; its exit code (a usage error: 2). A `sys.exit("message")`
    goes on up, so Python prints the message."""
    try:
        app(argv, prog_name=prog_name)
    except SystemExit as done:
        if isinstance(done.code, str):
            raise
        return int(done.code or 0)
    return 0
