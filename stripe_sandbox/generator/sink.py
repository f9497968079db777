"""The one way objects reach the store: batched `StoreWriter.add_rows` calls plus counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from stripe_sandbox.store import StoreWriter

BATCH = 5_000


class Sink:
    """Buffers final objects of every account and counts the listable ones."""

    def __init__(self, writer: StoreWriter) -> None:
        self.writer = writer
        self.counts: Counter[tuple[str, str]] = Counter()  # (account, resource) → listable
        self._batch: list[tuple] = []

    def put(
        self,
        account: str,
        resource: str,
        obj: Mapping[str, Any] | bytes,
        created: int,
        object_id: str | None = None,
        filters: Mapping[str, str | Sequence[str]] | None = None,
        parent: str | None = None,
        deleted: bool = False,
    ) -> None:
        """Store one object in its final state (a dict, or JSON bytes and its id)."""
        if obj.__class__ is bytes:
            body = obj
        else:
            body = orjson.dumps(obj)
            object_id = object_id or obj["id"]
        batch = self._batch
        batch.append((account, resource, object_id, created, parent, deleted, body, filters))
        if not deleted:
            self.counts[account, resource] += 1
        if len(batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self.writer.add_rows(self._batch)
            self._batch = []
