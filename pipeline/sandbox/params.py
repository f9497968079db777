"""Query strings of list and retrieve requests, read as Stripe reads them.

Arrays arrive as `expand[]=a` or, from stripe-python, `expand[0]=a`; ranges as
`created[gte]=…` or a plain `created=…`. Anything a resource does not accept
is a 400 `parameter_unknown`, as on Stripe.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from pipeline.sandbox import errors
from pipeline.sandbox.resources import Resource

RANGE_OPERATORS = ("gt", "gte", "lt", "lte")
RANGE_FILTERS = frozenset({"created", "arrival_date"})  # integer filters that take ranges
ARRAY_PARAMS = {"expand": "expand", "types": "type"}  # array parameter → filter it feeds
MAX_LIMIT = 100


@dataclass(frozen=True)
class ListQuery:
    """One list request: page size, cursor, `created` window (inclusive), filters."""

    limit: int = 10
    starting_after: str | None = None
    ending_before: str | None = None
    created_min: int | None = None
    created_max: int | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # name, any of these values
    ranges: tuple[tuple[str, int | None, int | None], ...] = ()  # name, min, max (inclusive)
    expand: tuple[str, ...] = ()


def split_query(query_string: bytes) -> dict[str, str | list[str] | dict[str, str]]:
    """`a=1&b[gte]=2&c[0]=x&c[]=y` → {"a": "1", "b": {"gte": "2"}, "c": ["x", "y"]}."""
    params: dict[str, str | list[str] | dict[str, str]] = {}
    for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        name, bracket, sub = key.partition("[")
        sub = sub.removesuffix("]")
        if name in ARRAY_PARAMS and (not bracket or sub == "" or sub.isdigit()):
            current = params.setdefault(name, [])
            if isinstance(current, list):
                current.append(value)
        elif bracket and name in RANGE_FILTERS and sub in RANGE_OPERATORS:
            current = params.setdefault(name, {})
            if isinstance(current, dict):
                current[sub] = value
        elif bracket:
            raise errors.parameter_unknown(key)
        else:
            params[name] = value
    return params


def parse_int(param: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise errors.invalid_integer(param, value) from None


def parse_range(name: str, value: str | list[str] | dict[str, str]) -> tuple[int | None, ...]:
    """A range filter as inclusive (min, max): `gt` 5 is min 6, a plain value is both."""
    if isinstance(value, str):
        exact = parse_int(name, value)
        return exact, exact
    if isinstance(value, list):
        raise errors.parameter_unknown(f"{name}[]")
    low = high = None
    for op, raw in value.items():
        bound = parse_int(f"{name}[{op}]", raw)
        if op in ("gt", "gte"):
            bound += op == "gt"
            low = bound if low is None else max(low, bound)
        else:
            bound -= op == "lt"
            high = bound if high is None else min(high, bound)
    return low, high


def parse_limit(value: str) -> int:
    limit = parse_int("limit", value)
    if not 1 <= limit <= MAX_LIMIT:
        raise errors.invalid_integer("limit", value, 1, MAX_LIMIT)
    return limit


def parse_list_query(obj: Resource, query_string: bytes) -> ListQuery:
    """Validate a list request's parameters against what `obj` accepts."""
    params = split_query(query_string)
    filters, ranges, fields = [], [], {}
    for name, value in params.items():
        if isinstance(value, str) and value == "" and name != "expand":
            raise errors.invalid_empty(name)
        if name == "limit":
            fields["limit"] = parse_limit(str(value))
        elif name in ("starting_after", "ending_before"):
            fields[name] = str(value)
        elif name == "created" and obj.has_created:
            fields["created_min"], fields["created_max"] = parse_range(name, value)
        elif name == "expand":
            fields["expand"] = tuple(value) if isinstance(value, list) else (str(value),)
        elif name in obj.filters and name in RANGE_FILTERS:
            ranges.append((name, *parse_range(name, value)))
        elif name in obj.filters:
            values = tuple(value) if isinstance(value, list) else (str(value),)
            filters.append((ARRAY_PARAMS.get(name, name), values))
        else:
            raise errors.parameter_unknown(name)
    if "starting_after" in fields and "ending_before" in fields:
        raise errors.ApiError(
            400,
            "You may only specify one of these parameters: ending_before, starting_after.",
            code="parameters_exclusive",
            param="ending_before",
        )
    return ListQuery(**fields, filters=tuple(filters), ranges=tuple(ranges))


def parse_expand_only(query_string: bytes) -> tuple[str, ...]:
    """Retrieve requests accept nothing but `expand[]`."""
    params = split_query(query_string)
    for name in params:
        if name != "expand":
            raise errors.parameter_unknown(name)
    value = params.get("expand", [])
    return tuple(value) if isinstance(value, list) else (str(value),)
