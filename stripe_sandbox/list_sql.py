"""The SQL of one list page, built from a ListQuery (pure, no database).

A plain list scans `objects_listing`; one filtered by an indexed parameter is
driven by that parameter's rows in `filters_listing`. Every other filter is a
condition on the object: on its `object_filters` rows, identified by `seq`,
or on its JSON body (`json_extract`). A cursor becomes a bound on
(created, seq), so a page costs one index range scan at any depth.
"""

from __future__ import annotations

from stripe_sandbox.params import Filter, ListQuery

FAR = 2**62


def placeholders(values: tuple) -> str:
    return ",".join("?" * len(values))


def glob_pattern(value: str) -> str:
    """A Stripe wildcard (`invoice.*`) as a GLOB pattern, other GLOB characters literal."""
    return "".join(f"[{c}]" if c in "?[]" else c for c in value)


def matches(column: str, found: Filter) -> tuple[str, list]:
    """`column` (a row value or a body field) against the filter's values or range."""
    kind, values = found.param.kind, found.values
    if kind == "range":
        low, high = found.low, found.high
        return (f"cast({column} as integer) between ? and ?",
                [-FAR if low is None else low, FAR if high is None else high])  # fmt: skip
    if kind == "pattern":
        return "(" + " or ".join(f"{column} glob ?" for _ in values) + ")", [
            glob_pattern(v) for v in values]  # fmt: skip
    if kind in ("is_null", "is_zero"):
        test = "is null" if kind == "is_null" else "= 0"
        return (f"{column} {test}" if values[0] == "true" else f"not ({column} {test})"), []
    if kind == "bool" and not found.param.row:
        values = tuple(int(v == "true") for v in values)  # JSON true/false read as 1/0
    return f"{column} in ({placeholders(values)})", list(values)


def body_condition(found: Filter) -> tuple[str, list]:
    param = found.param
    path = "$." + param.field
    if not param.items:
        return matches(f"json_extract(o.body, '{path}')", found)
    each = f"from json_each(o.body, '$.{param.items}') j"
    if param.aggregate:
        return matches(f"(select {param.aggregate}(json_extract(j.value, '{path}')) {each})", found)
    sql, args = matches(f"json_extract(j.value, '{path}')", found)
    return f"exists (select 1 {each} where {sql})", args


def condition(found: Filter, d: str) -> tuple[str, list]:
    """One filter as a condition on the object `o` (listed through `d`)."""
    if found.param.row:
        sql, args = matches("f.value", found)
        sql = (f"exists (select 1 from object_filters f where f.account = {d}.account"
               f" and f.resource = {d}.resource and f.name = ? and f.created = {d}.created"
               f" and f.seq = {d}.seq and {sql})")  # fmt: skip
        args = [found.param.row, *args]
    else:
        sql, args = body_condition(found)
    return (f"not {sql}" if found.negate else sql), args


def driving(filters: list[Filter]) -> Filter | None:
    """The first positive equality filter on indexed rows, which can drive the scan
    (a pattern without a wildcard is an equality too)."""
    for found in filters:
        kind = found.param.kind
        exact = kind == "pattern" and not any("*" in v for v in found.values)
        if found.param.row and not found.negate and (kind in ("equal", "bool") or exact):
            return found
    return None


def page_sql(
    account: str, resource: str, query: ListQuery, cursor: tuple[int, int] | None
) -> tuple[str, list]:
    """`select body …` for one page plus one row (to tell `has_more`), in scan order.

    The scan runs newest first, or oldest first from an `ending_before` cursor.
    """
    filters = list(query.filters)
    if lead := driving(filters):
        filters.remove(lead)
        d = "f0"
        sql = ("select o.body from object_filters f0 join objects o"
               " on o.account = f0.account and o.id = f0.id")  # fmt: skip
        where = [f"f0.account = ? and f0.resource = ? and f0.name = ?"
                 f" and f0.value in ({placeholders(lead.values)}) and o.deleted = 0"]  # fmt: skip
        args: list = [account, resource, lead.param.row, *lead.values]
    else:
        d = "o"
        sql = "select o.body from objects o"
        where = ["o.account = ? and o.resource = ? and o.deleted = 0"]
        args = [account, resource]
    for found in filters:
        more_sql, more_args = condition(found, d)
        where.append(more_sql)
        args += more_args
    low = -FAR if query.created_min is None else query.created_min
    high = FAR if query.created_max is None else query.created_max
    backwards = query.ending_before is not None
    if cursor is not None:  # one range on `created` (for the index), the tie on `seq` after
        op = ">" if backwards else "<"
        low, high = (max(low, cursor[0]), high) if backwards else (low, min(high, cursor[0]))
        where.append(f"({d}.created {op} ? or {d}.seq {op} ?)")
        args += [cursor[0], cursor[1]]
    where.append(f"{d}.created between ? and ?")
    args += [low, high]
    order = "asc" if backwards else "desc"
    sql += f" where {' and '.join(where)} order by {d}.created {order}, {d}.seq {order} limit ?"
    return sql, [*args, query.limit + 1]


def lines_sql(account: str, resource: str, parent_id: str, query: ListQuery, cursor_seq):
    """A nested list in creation order (as Stripe orders an invoice's lines)."""
    backwards = query.ending_before is not None
    where = "account = ? and parent = ? and resource = ? and deleted = 0"
    args: list = [account, parent_id, resource]
    if cursor_seq is not None:
        where += f" and seq {'<' if backwards else '>'} ?"
        args.append(cursor_seq)
    order = "desc" if backwards else "asc"
    return f"select body from objects where {where} order by seq {order} limit ?", [
        *args, query.limit + 1]  # fmt: skip
