"""`expand[]`: replace an id by the object it names, or add an includable list.

The only request path that parses stored JSON; plain pages stay a join of
bytes. What is accepted is `expandables` (Stripe's expandable fields for the
rendered version); an id whose object the account does not hold stays an id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import orjson

from stripe_sandbox import errors
from stripe_sandbox.expandables import EXPANDABLE, INCLUDED, Included
from stripe_sandbox.resources import Resource

MAX_DEPTH = 4
Lookup = Callable[[str], bytes | None]
Include = Callable[[Included, str], dict]


def accepted(obj: Resource, path: list[str]) -> bool:
    """A documented expandable path, or one that goes on from it through its object."""
    expandable = EXPANDABLE.get(obj.name, obj.expandable)
    prefixes = {".".join(path[: i + 1]) for i in range(len(path))}
    return bool(prefixes & (set(expandable) | set(INCLUDED.get(obj.name, {}))))


def expansion_paths(obj: Resource, expand: Sequence[str], in_list: bool) -> list[list[str]]:
    """Validate `expand[]` values; on lists each must start with `data.`."""
    paths = []
    for raw in expand:
        path = raw.split(".")
        if in_list:
            if path[0] != "data" or len(path) < 2:
                raise _not_expandable(raw)
            path = path[1:]
        if not accepted(obj, path):
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


def expand_body(
    obj: Resource, body: bytes, paths: list[list[str]], lookup: Lookup, include: Include
) -> bytes:
    data = orjson.loads(body)
    for path in paths:
        _include(obj, data, path, include)
        _expand(data, path, lookup)
    return orjson.dumps(data)


def _include(obj: Resource, data: dict, path: list[str], include: Include) -> None:
    """Add the includable list the path names (`payments`, `amount_details.line_items`)."""
    for depth in range(1, len(path) + 1):
        included = INCLUDED.get(obj.name, {}).get(".".join(path[:depth]))
        if included is not None and not included.embedded:
            holder = data
            for key in path[: depth - 1]:
                holder = holder.get(key) if isinstance(holder, dict) else None
            if isinstance(holder, dict):
                holder[path[depth - 1]] = include(included, data["id"])
            return


def _expand(node: object, path: list[str], lookup: Lookup) -> None:
    if not path or not isinstance(node, dict):
        return
    head, rest = path[0], path[1:]
    value = node.get(head)
    if isinstance(value, str):
        value = node[head] = _found(value, lookup)
    elif isinstance(value, list):  # a list of ids (`discounts`) or of objects holding them
        value = node[head] = [_found(v, lookup) if isinstance(v, str) else v for v in value]
    if not rest:
        return
    if isinstance(value, dict) and rest[0] == "data" and isinstance(value.get("data"), list):
        value, rest = value["data"], rest[1:]
    for item in value if isinstance(value, list) else [value]:
        _expand(item, rest, lookup)


def _found(object_id: str, lookup: Lookup) -> object:
    body = lookup(object_id)
    return object_id if body is None else orjson.loads(body)
