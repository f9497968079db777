"""Group commit: many concurrent appends share one write + fsync, each key once.

Callers (threads) `submit(key, record)`. The first caller to find no write in
progress becomes the leader: it takes every record queued so far, writes them
with one fsync, marks their keys stored and wakes the others. Everyone returns
only once their own record is durable, so an acknowledgement still means
"on disk". A key already stored returns False at once; a key whose first
copy is still being written waits for that write and then returns False — or,
if that write failed, tries again itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

Record = dict[str, Any]


class _Batch:
    def __init__(self) -> None:
        self.keys: list[str] = []
        self.records: list[Record] = []
        self.done = False
        self.error: BaseException | None = None


class GroupCommit:
    """Deduplicating, durable appends through `write(records)` (must fsync)."""

    def __init__(self, write: Callable[[list[Record]], None], stored: Iterable[str] = ()):
        self._write = write
        self.stored: set[str] = set(stored)
        self._cond = threading.Condition()
        self._pending = _Batch()
        self._inflight: dict[str, _Batch] = {}
        self._writing = False

    def submit(self, key: str, record: Record) -> bool:
        """True once `record` is durable; False when `key` was already stored."""
        with self._cond:
            while (waiting := self._inflight.get(key)) is not None:
                self._cond.wait_for(lambda w=waiting: w.done)
            if key in self.stored:
                return False
            batch = self._pending
            batch.keys.append(key)
            batch.records.append(record)
            self._inflight[key] = batch
            while not batch.done:
                if self._writing:
                    self._cond.wait()
                else:
                    self._lead(batch)
            if batch.error is not None:
                raise batch.error
            return True

    def _lead(self, batch: _Batch) -> None:
        """Write the pending batch (ours) outside the lock; called holding it."""
        self._writing = True
        self._pending = _Batch()
        self._cond.release()
        try:
            self._write(batch.records)
        except BaseException as error:
            batch.error = error
        finally:
            self._cond.acquire()
            self._writing = False
            batch.done = True
            for key in batch.keys:
                self._inflight.pop(key, None)
            if batch.error is None:
                self.stored.update(batch.keys)
            self._cond.notify_all()
