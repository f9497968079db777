"""Counters of one extraction run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass
class ExtractStats:
    pages: int = 0
    requests: int = 0
    rate_limited: int = 0  # 429 answers
    retries: int = 0
    bytes: int = 0
    seconds: float = 0.0
    objects: int = 0

    def add(self, other: ExtractStats) -> ExtractStats:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def as_dict(self) -> dict[str, float]:
        return asdict(self)
