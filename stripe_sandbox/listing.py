"""List and retrieve queries over an account file, answering with stored JSON bytes.

Pages come back as the stored bodies (bytes, via `text_factory`), newest
first; the SQL itself is built in `list_sql`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from stripe_sandbox import errors
from stripe_sandbox.expandables import EMBEDDED_IN, Included
from stripe_sandbox.list_sql import lines_sql, page_sql
from stripe_sandbox.params import ListQuery, parse_list_query
from stripe_sandbox.resources import BY_NAME, Resource
from stripe_sandbox.store import open_reader, read_meta


@dataclass(frozen=True)
class Page:
    bodies: list[bytes]
    has_more: bool


def deleted_stub(object_id: str, object_name: str) -> bytes:
    return b'{"id":"%s","object":"%s","deleted":true}' % (object_id.encode(), object_name.encode())


class AccountListing:
    """One read-only connection to an account file and the queries served from it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.db = open_reader(self.path)
        self.meta = read_meta(self.db)
        self.db.text_factory = bytes
        self.db.execute("pragma mmap_size = 68719476736")  # read pages in place, no copies
        connected = [a for a in self.meta.get("connected_accounts", "").split(",") if a]
        self.accounts = {a: a for a in connected}
        if platform := self.meta.get("platform_account"):
            self.accounts[platform] = ""

    def retrieve(self, account: str, obj: Resource, object_id: str) -> bytes:
        row = self.db.execute(
            "select resource, deleted, body from objects where account = ? and id = ?",
            (account, object_id),
        ).fetchone()
        if row is None or row[0].decode() != obj.name:
            raise errors.resource_missing(obj.object, object_id)
        return deleted_stub(object_id, obj.object) if row[1] else row[2]

    def body_by_id(self, account: str, object_id: str) -> bytes | None:
        """Any object's served form by id (for `expand`): its body or its deleted stub.

        The platform sees its connected accounts' objects too (a transfer's
        `destination_payment` lives in the destination account).
        """
        accounts = [account] + ([a for a in self.accounts.values() if a] if not account else [])
        for owner in accounts:
            row = self.db.execute(
                "select resource, deleted, body from objects where account = ? and id = ?",
                (owner, object_id),
            ).fetchone()
            if row is not None:
                break
        else:
            return self._embedded(accounts, object_id)
        return deleted_stub(object_id, BY_NAME[row[0].decode()].object) if row[1] else row[2]

    def _embedded(self, accounts: list[str], object_id: str) -> bytes | None:
        """An object kept only in its parent's body (a transfer's reversal), found there."""
        resource, field = next(
            (where for prefix, where in EMBEDDED_IN.items() if object_id.startswith(prefix)),
            ("", ""),
        )
        for owner in accounts if resource else []:
            quoted = orjson.dumps(object_id).decode()
            for (body,) in self.db.execute(
                "select body from objects where account = ? and resource = ? and body like ?",
                (owner, resource, f"%{quoted}%"),
            ):
                for item in (orjson.loads(body).get(field) or {}).get("data") or []:
                    if item.get("id") == object_id:
                        return orjson.dumps(item)
        return None

    def included_list(self, account: str, included: Included, parent_id: str) -> dict:
        """An includable list (`expand[]=payments` on an invoice): its first page."""
        url = included.url.format(id=parent_id)
        obj = BY_NAME.get(included.item)
        if obj is not None and obj.parent and not included.param:  # a nested list's first page
            found = self.lines(account, obj, parent_id, parse_list_query(obj, b""))
        elif not included.param or obj is None:
            return {"object": "list", "data": [], "has_more": False, "url": url}
        else:
            query = parse_list_query(obj, f"{included.param}={parent_id}".encode())
            found = self.page(account, obj, query)
        data = [orjson.loads(body) for body in found.bodies]
        return {"object": "list", "data": data, "has_more": found.has_more, "url": url}

    def events_oldest_first(self, account: str = "", since: int = 0, limit: int = -1):
        """Stored events (the 30-day window) from `since`, in the order they happened."""
        rows = self.db.execute(
            "select body from objects where account = ? and resource = 'events'"
            " and created >= ? order by created, seq limit ?",
            (account, since, limit),
        )
        return [row[0] for row in rows]

    def _position(self, account: str, obj: Resource, object_id: str, param: str):
        row = self.db.execute(
            "select created, seq from objects where account = ? and id = ? and resource = ?",
            (account, object_id, obj.name),
        ).fetchone()
        if row is None:
            raise errors.resource_missing(obj.object, object_id, param=param)
        return row

    def _cursor(self, account: str, obj: Resource, query: ListQuery):
        """The (created, seq) of the request's cursor object, or None without one."""
        if query.ending_before is not None:
            return self._position(account, obj, query.ending_before, "ending_before")
        if query.starting_after is not None:
            return self._position(account, obj, query.starting_after, "starting_after")
        return None

    def _run(self, sql: str, args: list, query: ListQuery) -> Page:
        rows = self.db.execute(sql, args).fetchall()
        bodies = [row[0] for row in rows[: query.limit]]
        if query.ending_before is not None:
            bodies.reverse()  # scanned oldest first from the cursor; served newest first
        return Page(bodies, len(rows) > query.limit)

    def page(self, account: str, obj: Resource, query: ListQuery) -> Page:
        """One page of a top-level list, newest first."""
        cursor = self._cursor(account, obj, query)
        return self._run(*page_sql(account, obj.name, query, cursor), query)

    def lines(self, account: str, obj: Resource, parent_id: str, query: ListQuery) -> Page:
        """A nested list (an invoice's lines), after checking the parent exists."""
        self.retrieve(account, BY_NAME[obj.parent or ""], parent_id)
        cursor = self._cursor(account, obj, query)
        seq = cursor[1] if cursor else None
        return self._run(*lines_sql(account, obj.name, parent_id, query, seq), query)
