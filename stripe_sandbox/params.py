"""Query strings of list and retrieve requests, read as Stripe reads them.

Arrays arrive as `expand[]=a` or, from stripe-python, `expand[0]=a`; ranges as
`created[gte]=…` or a plain `created=…`; hashes as `payment[type]=…`.
Anything a resource does not accept is a 400 `parameter_unknown`, an enum
value Stripe does not list a 400 naming the parameter, as on Stripe.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from stripe_sandbox import errors
from stripe_sandbox.filters import ListParam, params_of
from stripe_sandbox.resources import Resource

RANGE_OPERATORS = ("gt", "gte", "lt", "lte")
MAX_LIMIT = 100
Value = str | list[str] | dict[str, str]


@dataclass(frozen=True)
class Filter:
    """One condition of a list: any of `values`, or `low`..`high` (inclusive) for ranges."""

    param: ListParam
    values: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    negate: bool = False  # leave out objects with these values (a default such as "not canceled")


@dataclass(frozen=True)
class ListQuery:
    """One list request: page size, cursor, `created` window (inclusive), filters."""

    limit: int = 10
    starting_after: str | None = None
    ending_before: str | None = None
    created_min: int | None = None
    created_max: int | None = None
    filters: tuple[Filter, ...] = ()
    expand: tuple[str, ...] = ()


def split_query(query_string: bytes) -> dict[str, Value]:
    """`a=1&b[gte]=2&c[0]=x&c[]=y&d[e]=z` → {"a": "1", "b": {"gte": "2"}, "c": ["x", "y"],
    "d[e]": "z"}: ranges and arrays grouped, any other hash key kept whole."""
    params: dict[str, Value] = {}
    for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        name, bracket, sub = key.partition("[")
        sub = sub.removesuffix("]")
        if bracket and (sub == "" or sub.isdigit()):
            current = params.setdefault(name, [])
            if not isinstance(current, list):
                raise errors.parameter_unknown(key)
            current.append(value)
        elif bracket and sub in RANGE_OPERATORS:
            current = params.setdefault(name, {})
            if not isinstance(current, dict):
                raise errors.parameter_unknown(key)
            current[sub] = value
        else:
            params[key] = value
    return params


def parse_int(param: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise errors.invalid_integer(param, value) from None


def parse_range(name: str, value: Value) -> tuple[int | None, int | None]:
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


def parse_filter(param: ListParam, value: Value) -> Filter:
    """One documented parameter's value, checked as Stripe checks it."""
    if param.kind == "range":
        low, high = parse_range(param.name, value)
        return Filter(param, low=low, high=high)
    if param.array and not isinstance(value, list):
        raise errors.ApiError(400, "Invalid array", param=param.name)
    if isinstance(value, dict) or isinstance(value, list) != param.array:
        raise errors.parameter_unknown(param.name)
    values = tuple(value) if isinstance(value, list) else (value,)
    if param.kind in ("bool", "is_null", "is_zero"):
        for raw in values:
            if raw not in ("true", "false"):
                raise errors.invalid_boolean(param.name, raw)
    for raw in values:
        if param.enum and raw not in param.enum:
            raise errors.invalid_enum(param.name, param.enum)
    aliases = dict(param.aliases)
    if len(values) == 1 and values[0] in aliases:
        values = aliases[values[0]]  # () means no condition at all
    return Filter(param, values)


def parse_list_query(obj: Resource, query_string: bytes) -> ListQuery:
    """Validate a list request's parameters against what `obj` accepts."""
    params, accepted = split_query(query_string), params_of(obj)
    filters, fields = [], {}
    for name, value in params.items():
        if isinstance(value, str) and value == "" and name != "expand":
            raise errors.invalid_empty(name)
        if name == "limit" and isinstance(value, str):
            fields["limit"] = parse_limit(value)
        elif name in ("starting_after", "ending_before") and isinstance(value, str):
            fields[name] = value
        elif name == "created" and obj.has_created:
            fields["created_min"], fields["created_max"] = parse_range(name, value)
        elif name == "expand" and not isinstance(value, dict):
            fields["expand"] = tuple(value) if isinstance(value, list) else (value,)
        elif name in accepted:
            found = parse_filter(accepted[name], value)
            filters += [found] if found.values or found.param.kind == "range" else []
        else:
            raise errors.parameter_unknown(name)
    for param in accepted.values():
        if param.default_excludes and param.name not in params:
            filters.append(Filter(param, param.default_excludes, negate=True))
    if "starting_after" in fields and "ending_before" in fields:
        raise errors.ApiError(
            400,
            "You may only specify one of these parameters: ending_before, starting_after.",
            code="parameters_exclusive",
            param="ending_before",
        )
    return ListQuery(**fields, filters=tuple(filters))


def parse_expand_only(query_string: bytes) -> tuple[str, ...]:
    """Retrieve requests accept nothing but `expand[]`."""
    params = split_query(query_string)
    for name in params:
        if name != "expand":
            raise errors.parameter_unknown(name)
    value = params.get("expand", [])
    return tuple(value) if isinstance(value, list) else (str(value),)
