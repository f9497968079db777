"""The record of refused deliveries: durable JSON lines, bounded in rate and in size.

Anyone can post to the receiver, so what an unsigned request costs on disk is
capped: at most `burst` lines at once and `rate` a second after that (the
refusals over it are counted and written as one `rate_limited` line when
the bucket refills), at most `BODY_PREFIX_CHARS` of each body, and files of
`max_file_bytes` of which the newest `max_files` are kept.

A refusal's `rejection_id` is derived from its reason and whole body (when a body was
read): the same request refused again (a replay, the demo's forgery on every
`make run`) is one refusal in the exceptions log, while each attempt keeps its own
line here.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pipeline.events.webhooks.delivery import Rejection
from pipeline.raw.journal import Journal, journal_files

BODY_PREFIX_CHARS = 1024
RATE_PER_SECOND = 20.0
BURST = 200
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_FILES = 8


class TokenBucket:
    """`take()` is True while fewer than `burst` + `rate`·t requests have been let through."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.updated = float(burst), clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class RejectionLog:
    """Appends `rejection_id, received_at, reason, detail, status, size, source_address,
    event_id, body_prefix` (the first 1 KiB of the body, for forensics)."""

    def __init__(
        self,
        folder: Path,
        rate: float = RATE_PER_SECOND,
        burst: int = BURST,
        max_file_bytes: int = MAX_FILE_BYTES,
        max_files: int = MAX_FILES,
    ) -> None:
        self.journal = Journal(folder, "rejections", max_file_bytes=max_file_bytes)
        self.bucket = TokenBucket(rate, burst)
        self.max_files = max_files
        self.suppressed = 0
        self._lock = threading.Lock()
        self._files_seen = 0

    def record(self, rejection: Rejection, raw: bytes, size: int, source: str | None) -> bool:
        """Write the refusal, or only count it when over the rate; True when written.

        Every line takes a token, the `rate_limited` summary too."""
        with self._lock:
            records = []
            if self.suppressed and self.bucket.take():
                detail = f"{self.suppressed} refusals over the rate limit were not recorded"
                records.append(_line("rate_limited", detail, None, 0, None, None, b""))
                self.suppressed = 0
            if self.suppressed or not self.bucket.take():
                self.suppressed += 1
            else:
                records.append(
                    _line(rejection.reason, rejection.detail, rejection.status, size, source,
                          rejection.event_id, raw)
                )  # fmt: skip
            if records:
                with self.journal.lock:
                    self.journal.append_locked(records)
                self._prune()
            return not self.suppressed

    def _prune(self) -> None:
        """Delete the oldest files beyond `max_files` once a new file was started."""
        if self.journal.files_opened == self._files_seen:
            return
        self._files_seen = self.journal.files_opened
        files = sorted(journal_files(self.journal.folder), key=lambda p: p.stat().st_mtime_ns)
        for old in files[: max(0, len(files) - self.max_files)]:
            old.unlink(missing_ok=True)

    def close(self) -> None:
        self.journal.close()


def refusal_id(reason: str, raw: bytes) -> str:
    """The same for the same request refused for the same reason."""
    return hashlib.sha256(reason.encode() + b"\0" + raw).hexdigest()[:32]


def _line(reason, detail, status, size, source, event_id, raw: bytes) -> dict:
    # a summary counts the refusals of its own window; a refusal with no body read
    # (too large, too slow) says nothing that would make two of them the same
    distinct = reason == "rate_limited" or not raw
    return {
        "rejection_id": uuid.uuid4().hex if distinct else refusal_id(reason, raw),
        "received_at": datetime.now(UTC).isoformat(),
        "reason": reason,
        "detail": detail,
        "status": status,
        "size": size,
        "source_address": source,
        "event_id": event_id,
        "body_prefix": raw[:BODY_PREFIX_CHARS].decode("utf-8", "replace"),
    }
