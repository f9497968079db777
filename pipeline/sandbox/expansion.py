"""`expand[]`: replace an id by the object it names, found in the same account.

The only request path that parses stored JSON; plain pages stay a join of bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import orjson

from pipeline.sandbox import errors
from pipeline.sandbox.resources import Resource

MAX_DEPTH = 4
Lookup = Callable[[str], bytes | None]


def expansion_paths(obj: Resource, expand: Sequence[str], in_list: bool) -> list[list[str]]:
    """Validate `expand[]` values; on lists each must start with `data.`."""
    paths = []
    for raw in expand:
        path = raw.split(".")
        if in_list:
            if path[0] != "data" or len(path) < 2:
                raise _not_expandable(raw)
            path = path[1:]
        if path[0] not in obj.expandable:
            raise _not_expandable(raw)
        if len(path) > MAX_DEPTH:
            raise errors.ApiError(
                400,
                f"You cannot expand more than {MAX_DEPTH} levels of a property. Property: {raw}",
                param="expand",
            )
        paths.append(path)
    return paths


def _not_expandable(raw: str) -> errors.ApiError:
    return errors.ApiError(400, f"This property cannot be expanded ({raw}).", param="expand")


def expand_body(body: bytes, paths: list[list[str]], lookup: Lookup) -> bytes:
    data = orjson.loads(body)
    for path in paths:
        _expand(data, path, lookup)
    return orjson.dumps(data)


def _expand(node: object, path: list[str], lookup: Lookup) -> None:
    if not path or not isinstance(node, dict):
        return
    head, rest = path[0], path[1:]
    value = node.get(head)
    if isinstance(value, str):
        found = lookup(value)
        if found is not None:
            value = node[head] = orjson.loads(found)
    if rest and isinstance(value, dict):
        if rest[0] == "data" and isinstance(value.get("data"), list):
            for item in value["data"]:
                _expand(item, rest[1:], lookup)
        else:
            _expand(value, rest, lookup)
