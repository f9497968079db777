"""Canonical comparison of two renderings of a Stripe object.

`differing_fields(a, b)` names the dotted paths whose values differ.
Rendering differences that do not change meaning are not differences:

- key order and JSON formatting (the objects are parsed first);
- an id on one side and the expanded object with that id on the other;
- with `tolerant=True` (the two sides were rendered in different API
  versions), a field present on only one side: versions add, drop and rename
  fields. Values present on both sides must still agree, and `metadata`
  is always compared key by key, since it is free-form user data.

`previous_attributes` is not part of `data.object`, so it never enters.
"""

from __future__ import annotations

from typing import Any

STRICT_KEYS = frozenset({"metadata"})


def differing_fields(a: Any, b: Any, *, tolerant: bool = False, path: str = "") -> list[str]:
    """Dotted paths where `a` and `b` differ (`""` for the root)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return _dict_differences(a, b, tolerant, path)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [path]
        found = []
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found += differing_fields(x, y, tolerant=tolerant, path=f"{path}[{index}]")
        return found
    if _same_reference(a, b):
        return []
    return [] if a == b and type(a) is type(b) else [path]


def _dict_differences(a: dict, b: dict, tolerant: bool, path: str) -> list[str]:
    strict = not tolerant or path.rsplit(".", 1)[-1] in STRICT_KEYS
    keys = sorted(a.keys() | b.keys()) if strict else sorted(a.keys() & b.keys())
    found = []
    for key in keys:
        sub = f"{path}.{key}" if path else key
        if key not in a or key not in b:
            found.append(sub)
        else:
            found += differing_fields(a[key], b[key], tolerant=tolerant, path=sub)
    return found


def _same_reference(a: Any, b: Any) -> bool:
    """An id string against the expanded object carrying that id."""
    if isinstance(a, str) and isinstance(b, dict):
        return b.get("id") == a
    if isinstance(b, str) and isinstance(a, dict):
        return a.get("id") == b
    return False
