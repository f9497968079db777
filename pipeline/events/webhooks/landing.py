"""The landing store: every distinct delivery once per event id, as a durable JSON line.

Records: `received_at` (ISO UTC), `event_id`, `digest` (of the body's content),
`type`, `created`, `account`, `livemode`, `headers` (a subset, no secrets),
`source_address`, `body` (the raw request text, byte for byte what was signed).
A delivery is identified by its event id and the digest of its content (the
event as canonical JSON, without `pending_webhooks`, which Stripe counts
down between attempts): an identical re-delivery is stored once and answered
"duplicate", but a delivery of a known id with other content is stored
beside the first, since only Stripe's copy can say which one is genuine. At
most `max_bodies` distinct bodies are kept per id. The index is rebuilt from
the files at start-up, so a restarted receiver answers as the old one would.
Concurrent deliveries share fsyncs (`group_commit`), which is what lets a
burst through on a slow disk.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.events.webhooks.delivery import Delivery
from pipeline.events.webhooks.group_commit import GroupCommit
from pipeline.raw.journal import Journal, TornLine, journal_files, read_journal

KEPT_HEADERS = ("content-type", "user-agent", "stripe-signature", "x-forwarded-for")
MAX_BODIES_PER_EVENT = 8


def body_digest(event: dict[str, Any]) -> str:
    """What identifies a delivery's content among the deliveries of its event id."""
    kept = {k: v for k, v in event.items() if k != "pending_webhooks"}
    text = json.dumps(kept, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def record_digest(record: dict[str, Any]) -> str | None:
    """The record's digest (computed for records written before digests were kept)."""
    if isinstance(record.get("digest"), str):
        return record["digest"]
    try:
        return body_digest(json.loads(record["body"]))
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None


@dataclass(frozen=True)
class Stored:
    event_id: str
    status: str  # stored | duplicate | over_limit

    @property
    def duplicate(self) -> bool:
        return self.status == "duplicate"


class LandingStore:
    """Append-only landing files plus the in-memory index of stored (id, digest) pairs."""

    def __init__(self, folder: Path, max_bodies: int = MAX_BODIES_PER_EVENT) -> None:
        self.journal = Journal(folder, "deliveries")
        self.max_bodies = max_bodies
        self.torn_at_start: list[TornLine] = []
        self.bodies: dict[str, set[str]] = defaultdict(set)
        for record in read_journal(folder, self.torn_at_start):
            digest = record_digest(record) if "body" in record else None
            if digest is not None and isinstance(record.get("event_id"), str):
                self.bodies[record["event_id"]].add(digest)
        keys = (f"{i}:{d}" for i, digests in self.bodies.items() for d in digests)
        self.commits = GroupCommit(self.journal.append_locked, keys)
        self._lock = threading.Lock()

    def store(self, delivery: Delivery, headers: dict[str, str], source: str | None) -> Stored:
        """Durably store the delivery unless its content is already stored (thread-safe)."""
        digest = body_digest(delivery.event)
        with self._lock:
            known = self.bodies[delivery.event_id]
            if digest not in known and len(known) >= self.max_bodies:
                return Stored(delivery.event_id, "over_limit")
            known.add(digest)
        key = f"{delivery.event_id}:{digest}"
        try:
            new = self.commits.submit(key, landing_record(delivery, digest, headers, source))
        except BaseException:
            with self._lock:
                if key not in self.commits.stored:
                    known.discard(digest)
            raise
        return Stored(delivery.event_id, "stored" if new else "duplicate")

    def close(self) -> None:
        self.journal.close()


def landing_record(
    delivery: Delivery, digest: str, headers: dict[str, str], source: str | None
) -> dict:
    event = delivery.event
    return {
        "received_at": datetime.now(UTC).isoformat(),
        "event_id": event["id"],
        "digest": digest,
        "type": event["type"],
        "created": event["created"],
        "account": event.get("account"),
        "livemode": event.get("livemode"),
        "headers": {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS},
        "source_address": source,
        "body": delivery.body,
    }


def landing_cursor(data_dir: Path) -> str:
    """Changes whenever anything lands under `<data_dir>/landing/` (for a sensor's cursor).

    Built from file names and sizes only: cheap, and files are append-only.
    """
    landing = Path(data_dir) / "landing"
    files = [*journal_files(landing / "webhooks"), *journal_files(landing / "rejections")]
    listing = "\n".join(f"{p.parent.name}/{p.name}:{p.stat().st_size}" for p in files)
    return hashlib.sha256(listing.encode()).hexdigest()
