"""What the receiver needs to know, passed in rather than read at import time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TOLERANCE_SECONDS = 300
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_HEADER_BYTES = 16 * 1024
DEFAULT_BODY_TIMEOUT_SECONDS = 10.0
DEFAULT_HEADER_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class ReceiverConfig:
    """Where deliveries land and how they are checked.

    `secrets` holds every endpoint secret currently accepted (more than one
    while a secret is being rotated); a delivery signed by any of them passes.
    The secrets are excluded from `repr` so they never reach a log line.
    A request's headers must fit in `max_header_bytes` and arrive within
    `header_timeout_seconds`; its body must arrive within
    `body_timeout_seconds` of the headers.
    """

    data_dir: Path
    secrets: tuple[str, ...] = field(repr=False)
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_header_bytes: int = DEFAULT_MAX_HEADER_BYTES
    body_timeout_seconds: float = DEFAULT_BODY_TIMEOUT_SECONDS
    header_timeout_seconds: float = DEFAULT_HEADER_TIMEOUT_SECONDS

    @property
    def landing_dir(self) -> Path:
        return Path(self.data_dir) / "landing" / "webhooks"

    @property
    def rejections_dir(self) -> Path:
        return Path(self.data_dir) / "landing" / "rejections"
