"""Tables as `make run` prints them: rich tables without borders, or their plain text."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.table import Table

TEXT_COLUMNS = frozenset({"raw table", "currency", "month"})
"""Left-aligned; every other column holds a number, right-aligned."""


def plain_table(*columns: str) -> Table:
    """A table without borders: a header line, then one line per row."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in columns:
        table.add_column(name, justify="left" if name in TEXT_COLUMNS else "right")
    return table


def text_lines(renderable: RenderableType, width: int = 200) -> list[str]:
    """What `renderable` prints, as plain lines."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return [line.rstrip() for line in out.getvalue().splitlines()]
