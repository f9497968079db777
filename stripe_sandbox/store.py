"""The sandbox account on disk: one SQLite file, written once, served by query.

An object is stored once as the JSON text Stripe would send, so a page is a
join of stored bytes. Lists are ordered newest first by (created, seq);
`seq` is the order of creation, so objects created in the same second keep
a stable order. List filters live in `object_filters`, one row per
(object, filter name, value), so any resource gets any filter without a
column of its own.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
create table meta (key text primary key, value text not null);
create table objects (
    account text not null,      -- '' for the platform, acct_… for a connected account
    resource text not null,     -- Resource.name: 'charges', 'events', …
    id text not null,
    created integer not null,   -- Unix seconds; lines without one take their invoice's
    seq integer not null,       -- creation order, the tie-break of `created`
    parent text,                -- the invoice of an invoice line item
    deleted integer not null default 0,
    body text not null,         -- the object's JSON, exactly as served
    primary key (account, id)
);
create table object_filters (
    account text not null,
    resource text not null,
    name text not null,
    value text not null,
    created integer not null,
    seq integer not null,
    id text not null
);
"""

INDEXES = """
create index objects_listing on objects (account, resource, deleted, created desc, seq desc);
create index objects_by_parent on objects (account, parent, seq) where parent is not null;
create index filters_listing on object_filters
    (account, resource, name, value, created desc, seq desc);
"""


@dataclass(frozen=True)
class StoredObject:
    """One object to store: its JSON text and the values lists filter it by."""

    resource: str
    id: str
    created: int
    body: str
    account: str = ""
    parent: str | None = None
    deleted: bool = False
    filters: Mapping[str, str | Sequence[str]] | None = None


class StoreWriter:
    """Writes a new account file; it appears under its name only when closed whole."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self._tmp.unlink(missing_ok=True)
        self._db = sqlite3.connect(self._tmp, isolation_level=None)
        self._db.executescript("pragma journal_mode=off; pragma synchronous=off;")
        self._db.executescript(SCHEMA)
        self._db.execute("begin")
        self._seq = 0

    def add(self, objects: Iterable[StoredObject]) -> None:
        """Store objects in creation order (their `seq` follows the call order)."""
        rows, filter_rows = [], []
        for obj in objects:
            self._seq += 1
            rows.append((obj.account, obj.resource, obj.id, obj.created, self._seq,
                         obj.parent, int(obj.deleted), obj.body))  # fmt: skip
            for name, values in (obj.filters or {}).items():
                for value in [values] if isinstance(values, str) else values:
                    filter_rows.append((obj.account, obj.resource, name, value,
                                        obj.created, self._seq, obj.id))  # fmt: skip
        self._db.executemany("insert into objects values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._db.executemany("insert into object_filters values (?, ?, ?, ?, ?, ?, ?)", filter_rows)

    def set_meta(self, **values: str | int) -> None:
        self._db.executemany(
            "insert or replace into meta values (?, ?)", [(k, str(v)) for k, v in values.items()]
        )

    def close(self) -> Path:
        """Index, commit and rename into place: readers never see half an account."""
        self._db.execute("commit")
        self._db.executescript(INDEXES)
        self._db.execute("analyze")
        self._db.close()
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        self._db.close()
        self._tmp.unlink(missing_ok=True)


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to an account file (safe to share across threads)."""
    uri = f"file:{Path(path).resolve()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def read_meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("select key, value from meta").fetchall())
