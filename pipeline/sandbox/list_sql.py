"""The SQL of one list page, built from a ListQuery (pure, no database).

A plain list scans `objects_listing`; a filtered one is driven by its first
filter's rows in `filters_listing` and checks the other filters by
(created, seq), which identify an object. A cursor becomes a bound on
(created, seq), so a page costs one index range scan at any depth.
"""

from __future__ import annotations

from pipeline.sandbox.params import ListQuery

FAR = 2**62


def placeholders(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values))


def page_sql(
    account: str, resource: str, query: ListQuery, cursor: tuple[int, int] | None
) -> tuple[str, list]:
    """`select body …` for one page plus one row (to tell `has_more`), in scan order.

    The scan runs newest first, or oldest first from an `ending_before` cursor.
    """
    filters = list(query.filters)
    if filters:
        name, values = filters.pop(0)
        d = "f0"
        sql = ("select o.body from object_filters f0 join objects o"
               " on o.account = f0.account and o.id = f0.id")  # fmt: skip
        where = [f"f0.account = ? and f0.resource = ? and f0.name = ?"
                 f" and f0.value in ({placeholders(values)}) and o.deleted = 0"]  # fmt: skip
        args: list = [account, resource, name, *values]
    else:
        d = "o"
        sql = "select o.body from objects o"
        where = ["o.account = ? and o.resource = ? and o.deleted = 0"]
        args = [account, resource]
    same_object = f"f.account = {d}.account and f.resource = {d}.resource and f.name = ?"
    for name, values in filters:
        where.append(f"exists (select 1 from object_filters f where {same_object}"
                     f" and f.value in ({placeholders(values)})"
                     f" and f.created = {d}.created and f.seq = {d}.seq)")  # fmt: skip
        args += [name, *values]
    for name, low, high in query.ranges:
        where.append(f"exists (select 1 from object_filters f where {same_object} and f.seq"
                     f" = {d}.seq and cast(f.value as integer) between ? and ?)")  # fmt: skip
        args += [name, -FAR if low is None else low, FAR if high is None else high]
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
