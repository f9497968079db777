"""Objects shaped like Stripe's own examples (`stripe_sandbox/templates/*.json`).

A `Template` loads one example, applies the values every generated object of
that kind shares (placeholders replaced by realistic nulls, lists, flags) and
keeps the result; `new()` copies it (its nested dicts and lists afresh, from
JSON bytes, unless the call replaces them) and sets the per-object values.
Key order stays the example's, so bodies are byte-stable.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@cache
def example(name: str) -> bytes:
    """The raw example object of a template file, e.g. `example("charges")`."""
    return (TEMPLATES_DIR / f"{name}.json").read_bytes()


class Template:
    """One resource's example with shared overrides applied once."""

    def __init__(self, name: str, **shared: Any) -> None:
        base = orjson.loads(example(name))
        unknown = set(shared) - set(base)
        if unknown:
            raise KeyError(f"{name}: fields not in the example: {sorted(unknown)}")
        base.update(shared)
        self.name = name
        self.keys = tuple(base)
        self._flat = orjson.loads(orjson.dumps(base))  # as JSON would give it back
        self._nested = tuple((key, orjson.dumps(value)) for key, value in self._flat.items()
                             if isinstance(value, dict | list))  # fmt: skip

    def new(self, **values: Any) -> dict[str, Any]:
        """A fresh object: the example with shared and these values set."""
        obj = self._flat.copy()  # scalars are immutable: shared safely
        loads = orjson.loads
        for key, raw in self._nested:
            if key not in values:
                obj[key] = loads(raw)
        obj.update(values)
        return obj


def dumps(obj: Any) -> str:
    return orjson.dumps(obj).decode()


def snapshot(obj: Any) -> Any:
    """A deep copy frozen at this moment (what an event carries)."""
    return orjson.loads(orjson.dumps(obj))


def embedded_list(url: str, data: list | None = None, has_more: bool = False) -> dict:
    """A list embedded in an object (`refunds`, `reversals`, `lines`, `items`)."""
    return {"data": data or [], "has_more": has_more, "object": "list", "url": url}
