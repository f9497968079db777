"""The landing store: every accepted delivery once, as a durable JSON line.

Records: `received_at` (ISO UTC), `event_id`, `type`, `created`, `account`,
`livemode`, `headers` (a subset, no secrets), `source_address`, `body` (the raw
request text, byte for byte what was signed). The index of stored event ids is
rebuilt from the files at start-up, so a restarted receiver still answers a
re-delivery with "duplicate". Concurrent deliveries share fsyncs
(`group_commit`), which is what lets a burst through on a slow disk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.webhooks.delivery import Delivery
from pipeline.webhooks.group_commit import GroupCommit
from pipeline.webhooks.journal import Journal, TornLine, journal_files, read_journal

KEPT_HEADERS = ("content-type", "user-agent", "stripe-signature", "x-forwarded-for")


@dataclass(frozen=True)
class Stored:
    event_id: str
    duplicate: bool


class LandingStore:
    """Append-only landing files plus the in-memory set of stored event ids."""

    def __init__(self, folder: Path) -> None:
        self.journal = Journal(folder, "deliveries")
        self.torn_at_start: list[TornLine] = []
        stored = (
            r["event_id"] for r in read_journal(folder, self.torn_at_start) if "event_id" in r
        )
        self.commits = GroupCommit(self.journal.append_locked, stored)

    def store(self, delivery: Delivery, headers: dict[str, str], source: str | None) -> Stored:
        """Durably store the delivery unless its event id is already stored (thread-safe)."""
        record = landing_record(delivery, headers, source)
        new = self.commits.submit(delivery.event_id, record)
        return Stored(delivery.event_id, duplicate=not new)

    def close(self) -> None:
        self.journal.close()


def landing_record(delivery: Delivery, headers: dict[str, str], source: str | None) -> dict:
    event = delivery.event
    return {
        "received_at": datetime.now(UTC).isoformat(),
        "event_id": event["id"],
        "type": event["type"],
        "created": event["created"],
        "account": event.get("account"),
        "livemode": event.get("livemode"),
        "headers": {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS},
        "source_address": source,
        "body": delivery.body,
    }


def read_landing(folder: Path, torn: list[TornLine] | None = None) -> list[dict[str, Any]]:
    """The stored deliveries, first one per event id, in file order."""
    seen: set[str] = set()
    records = []
    for record in read_journal(folder, torn):
        if record.get("event_id") not in seen and "body" in record:
            seen.add(record["event_id"])
            records.append(record)
    return records


def landing_cursor(data_dir: Path) -> str:
    """Changes whenever anything lands under `<data_dir>/landing/` (for a sensor's cursor).

    Built from file names and sizes only: cheap, and files are append-only.
    """
    landing = Path(data_dir) / "landing"
    files = [*journal_files(landing / "webhooks"), *journal_files(landing / "rejections")]
    listing = "\n".join(f"{p.parent.name}/{p.name}:{p.stat().st_size}" for p in files)
    return hashlib.sha256(listing.encode()).hexdigest()
