"""The sandbox account on disk: one SQLite file, written once, served by query.

An object is stored once, as the JSON text Stripe would send compressed with
zlib (raw deflate) against a preset dictionary of its resource: the first
bodies of that resource, kept in `dictionaries`. Readers (`open_reader`) see
the view `objects`, whose `body` is the JSON text again, so a page is still a
query over stored bodies. Lists are ordered newest first by (created, seq);
`seq` is the order of creation (and the table's rowid), so objects created in
the same second keep a stable order. List filters live in `object_filters`,
one row per (object, filter name, value), so any resource gets any filter
without a column of its own; that table is its own index (`without rowid`).

Loading writes rows as they come (filter rows straight into `object_filters`:
cheaper than sorting them all at the end, when nothing else runs) and builds
the indexes of `stored_objects` once at the end; a big account can be written by a child
process (`StoreWriter(path, background=True)`), so compression and SQLite
run beside the generator. Either way the file is the same, byte for byte.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from queue import Queue
from typing import Any, BinaryIO

SCHEMA = """
create table meta (key text primary key, value text not null);
create table dictionaries (
    resource text primary key,
    dictionary blob not null    -- zlib preset dictionary of the resource's bodies
);
create table stored_objects (
    seq integer primary key,    -- creation order, the tie-break of `created`
    account text not null,      -- '' for the platform, acct_… for a connected account
    resource text not null,     -- Resource.name: 'charges', 'events', …
    id text not null,
    created integer not null,   -- Unix seconds; lines without one take their invoice's
    parent text,                -- the invoice of an invoice line item
    deleted integer not null default 0,
    zbody blob not null         -- the object's JSON, exactly as served, deflated
);
create table object_filters (
    account text not null,
    resource text not null,
    name text not null,
    value text not null,
    created integer not null,
    seq integer not null,
    id text not null,
    primary key (account, resource, name, value, created desc, seq desc, id)
) without rowid;
"""

INDEXES = """
create unique index objects_by_id on stored_objects (account, id);
create index objects_listing on stored_objects
    (account, resource, deleted, created desc, seq desc);
create index objects_by_parent on stored_objects (account, parent, seq) where parent is not null;
"""

VIEW = """
create temp view objects as select account, resource, id, created, seq, parent, deleted,
    cast(sandbox_body(resource, zbody) as text) as body from main.stored_objects
"""

WBITS = -13  # raw deflate, 8 KB window: the dictionary's size
MEM_LEVEL = 5  # small state, so copying a compressor per body costs little
LEVEL = 1  # deflate's fastest; the dictionary does most of the work
DICTIONARY_BODIES = 16  # a resource's dictionary: its first bodies, concatenated
READ_AHEAD = 4  # batches a child writer holds unread at most (each some MB)


@dataclass(frozen=True)
class StoredObject:
    """One object to store: its JSON text and the values lists filter it by."""

    resource: str
    id: str
    created: int
    body: str | bytes
    account: str = ""
    parent: str | None = None
    deleted: bool = False
    filters: Mapping[str, str | Sequence[str]] | None = None


Row = tuple[str, str, str, int, "str | None", bool, bytes, "Mapping[str, Any] | None"]
"""(account, resource, id, created, parent, deleted, body, filters): what `add_rows` takes."""


class _Load:
    """The SQLite side of writing an account file (in this process or a child)."""

    def __init__(self, tmp: Path) -> None:
        self._db = sqlite3.connect(tmp, isolation_level=None)
        self._db.executescript(
            "pragma journal_mode=off; pragma synchronous=off; pragma cache_size=-262144;"
            " pragma threads=2;"
        )
        self._db.executescript(SCHEMA)
        self._db.execute("begin")
        self._seq = 0
        self._compressors: dict[str, Any] = {}
        self._waiting: dict[str, list[tuple]] = {}  # rows of resources without a dictionary

    def add_rows(self, rows: Iterable[Row]) -> None:
        objects, filter_rows = [], []
        compressors = self._compressors
        seq = self._seq
        for account, resource, object_id, created, parent, deleted, body, filters in rows:
            seq += 1
            compressor = compressors.get(resource)
            if compressor is None:
                waiting = self._waiting.setdefault(resource, [])
                waiting.append((seq, account, resource, object_id, created, parent, deleted, body))
                if len(waiting) >= DICTIONARY_BODIES:
                    objects += self._with_dictionary(resource)
            else:
                deflate = compressor.copy()
                objects.append((seq, account, resource, object_id, created, parent, deleted,
                                deflate.compress(body) + deflate.flush()))  # fmt: skip
            if filters:
                for name, values in filters.items():
                    if values.__class__ is str:
                        filter_rows.append((account, resource, name, values, created, seq,
                                            object_id))  # fmt: skip
                    else:
                        filter_rows += [(account, resource, name, value, created, seq, object_id)
                                        for value in values]  # fmt: skip
        self._seq = seq
        self._db.executemany("insert into stored_objects values (?, ?, ?, ?, ?, ?, ?, ?)", objects)
        self._db.executemany("insert into object_filters values (?, ?, ?, ?, ?, ?, ?)", filter_rows)

    def _with_dictionary(self, resource: str) -> list[tuple]:
        """The waiting rows of `resource`, compressed with its new dictionary."""
        waiting = self._waiting.pop(resource)
        dictionary = b"".join(row[7] for row in waiting)[-(1 << -WBITS) :]
        self._db.execute("insert into dictionaries values (?, ?)", (resource, dictionary))
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS, MEM_LEVEL,
                                      zlib.Z_DEFAULT_STRATEGY, dictionary)  # fmt: skip
        self._compressors[resource] = compressor
        rows = []
        for row in waiting:
            deflate = compressor.copy()
            rows.append((*row[:7], deflate.compress(row[7]) + deflate.flush()))
        return rows

    def set_meta(self, values: Mapping[str, str | int]) -> None:
        self._db.executemany(
            "insert or replace into meta values (?, ?)", [(k, str(v)) for k, v in values.items()]
        )

    def close(self) -> None:
        for resource in sorted(self._waiting):
            rows = self._with_dictionary(resource)
            self._db.executemany("insert into stored_objects values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._db.execute("commit")
        self._db.executescript(INDEXES)
        self._db.execute("analyze")
        self._db.close()

    def abort(self) -> None:
        self._db.close()


def _rows(objects: Iterable[StoredObject]) -> list[Row]:
    return [(obj.account, obj.resource, obj.id, obj.created, obj.parent, obj.deleted,
             obj.body.encode() if isinstance(obj.body, str) else obj.body, obj.filters)
            for obj in objects]  # fmt: skip


class StoreWriter:
    """Writes a new account file; it appears under its name only when closed whole.

    With `background=True` a child process (`python -m stripe_sandbox.store`)
    compresses and writes the rows while this one goes on making them; the
    file is the same either way.
    """

    def __init__(self, path: Path, background: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self._tmp.unlink(missing_ok=True)
        self._child: subprocess.Popen | None = None
        self._load: _Load | None = None
        if background:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "stripe_sandbox.store", str(self._tmp)],
                stdin=subprocess.PIPE,
            )
        else:
            self._load = _Load(self._tmp)

    def _send(self, message: tuple) -> None:
        assert self._child is not None and self._child.stdin is not None
        try:
            pickle.dump(message, self._child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:
            raise RuntimeError(f"the store writer stopped (exit {self._child.wait()})") from None

    def add(self, objects: Iterable[StoredObject]) -> None:
        """Store objects in creation order (their `seq` follows the call order)."""
        self.add_rows(_rows(objects))

    def add_rows(self, rows: list[Row]) -> None:
        """`add` for plain tuples (what the generator sends): the same, cheaper."""
        if self._load is not None:
            self._load.add_rows(rows)
        else:
            self._send(("add", rows))

    def set_meta(self, **values: str | int) -> None:
        if self._load is not None:
            self._load.set_meta(values)
        else:
            self._send(("meta", values))

    def close(self) -> Path:
        """Index, commit and rename into place: readers never see half an account."""
        if self._load is not None:
            self._load.close()
        else:
            assert self._child is not None and self._child.stdin is not None
            self._send(("close",))
            self._child.stdin.close()
            if self._child.wait() != 0:
                self._tmp.unlink(missing_ok=True)
                raise RuntimeError(f"the store writer failed (exit {self._child.returncode})")
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        if self._load is not None:
            self._load.abort()
        elif self._child is not None:
            self._child.kill()
            self._child.wait()
        self._tmp.unlink(missing_ok=True)


def _read_ahead(stream: BinaryIO) -> Iterator[tuple]:
    """The messages on `stream` until `close`, read by a thread while the last one is stored.

    Reading the pipe releases the GIL, so the generator rarely waits for it.
    """
    queue: Queue[tuple | BaseException] = Queue(READ_AHEAD)

    def read() -> None:
        try:
            while True:
                queue.put(message := pickle.load(stream))
                if message[0] == "close":
                    return
        except BaseException as error:  # the generator died: say so to the loop
            queue.put(error)

    threading.Thread(target=read, daemon=True).start()
    while True:
        message = queue.get()
        if isinstance(message, BaseException):
            raise message
        yield message


def _serve_writer(tmp: Path) -> None:
    """The child's loop: messages from `StoreWriter` on stdin until `close`."""
    load = _Load(tmp)
    for message in _read_ahead(sys.stdin.buffer):
        if message[0] == "add":
            load.add_rows(message[1])
        elif message[0] == "meta":
            load.set_meta(message[1])
        else:
            load.close()
            return


def _body_reader(db: sqlite3.Connection):
    """`sandbox_body(resource, zbody)`: a stored body's JSON (as bytes: the view casts)."""
    base = {}
    for resource, dictionary in db.execute("select resource, dictionary from dictionaries"):
        base[resource] = base[resource.encode()] = zlib.decompressobj(WBITS, dictionary)

    def body(resource: str | bytes, zbody: bytes) -> bytes:
        return base[resource].copy().decompress(zbody)

    return body


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to an account file (safe to share across threads).

    Its temporary view `objects` serves each stored object with its JSON `body`.
    """
    uri = f"file:{Path(path).resolve()}?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    tables = {name for (name,) in db.execute("select name from sqlite_schema")}
    if "stored_objects" in tables:
        db.create_function("sandbox_body", 2, _body_reader(db), deterministic=True)
        db.execute(VIEW)
    return db


def read_meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("select key, value from meta").fetchall())


if __name__ == "__main__":
    _serve_writer(Path(sys.argv[1]))
