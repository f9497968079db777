"""The record of refused deliveries: one durable JSON line per attempt."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from pipeline.webhooks.delivery import Rejection
from pipeline.webhooks.journal import Journal

BODY_PREFIX_CHARS = 4096


class RejectionLog:
    """Appends `rejection_id, received_at, reason, detail, status, size, source_address,
    event_id, body_prefix` (the first 4 KiB of the body, for forensics)."""

    def __init__(self, folder: Path) -> None:
        self.journal = Journal(folder, "rejections")

    def record(self, rejection: Rejection, raw: bytes, size: int, source: str | None) -> None:
        self.journal.append(
            {
                "rejection_id": uuid.uuid4().hex,
                "received_at": datetime.now(UTC).isoformat(),
                "reason": rejection.reason,
                "detail": rejection.detail,
                "status": rejection.status,
                "size": size,
                "source_address": source,
                "event_id": rejection.event_id,
                "body_prefix": raw[:BODY_PREFIX_CHARS].decode("utf-8", "replace"),
            }
        )

    def close(self) -> None:
        self.journal.close()
