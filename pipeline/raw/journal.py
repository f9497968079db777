"""Append-only JSON Lines files that survive a crash.

A `Journal` writes one record per line into `<prefix>-YYYYMMDD-<pid>-<start>.jsonl`
in its folder (one file per UTC day and process, never reopened by another
process), and returns only after `write` + `flush` + `os.fsync` (one fsync
for all the records of a call, so callers can commit in groups). A crash
mid-write can leave at most one torn LAST line; a write that fails in
process starts a new file so no later record is glued to the torn one. With
`max_file_bytes`, a file that has grown past it is closed and the next
record starts a new one (`files_opened` counts them, for pruning).
`read_journal` yields the whole lines and reports the torn ones.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import psutil


@dataclass(frozen=True)
class TornLine:
    """A line that is not a complete JSON record (a crash mid-write)."""

    path: Path
    offset: int  # byte position of the line in its file
    text: str


class Journal:
    """Thread-safe appender: each `append` is durable when it returns."""

    def __init__(self, folder: Path, prefix: str, max_file_bytes: int | None = None) -> None:
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_file_bytes = max_file_bytes
        self.files_opened = 0
        self._size = 0
        self.lock = threading.Lock()
        self._start = time.time_ns()
        self._file: BinaryIO | None = None
        self._day = ""
        self._generation = 0

    def _open(self) -> BinaryIO:
        day = datetime.now(UTC).strftime("%Y%m%d")
        full = self.max_file_bytes is not None and self._size >= self.max_file_bytes
        if full and self._file is not None:
            self._generation += 1
        if self._file is None or day != self._day or full:
            self.close()
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{self.prefix}-{day}-{os.getpid()}-{self._start}-{self._generation}.jsonl"
            self._file = open(self.folder / name, "ab")  # noqa: SIM115 - kept open
            self._day = day
            self._size = 0
            self.files_opened += 1
            _fsync_dir(self.folder)
        return self._file

    def append_locked(self, records: list[dict[str, Any]]) -> None:
        """Append records with one fsync; the caller holds `self.lock` (or is the only writer)."""
        lines = "".join(
            json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n" for r in records
        )
        fh = self._open()
        try:
            data = lines.encode("utf-8")
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            self._size += len(data)
        except BaseException:
            self._generation += 1
            self.close()
            raise

    def append(self, record: dict[str, Any]) -> None:
        with self.lock:
            self.append_locked([record])

    def close(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            finally:
                self._file = None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def journal_files(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.jsonl")) if Path(folder).is_dir() else []


def writer_alive(path: Path) -> bool:
    """Whether the process writing `path` (the pid in its name) still runs."""
    try:
        pid = int(path.stem.split("-")[-3])
    except (IndexError, ValueError):
        return False
    return psutil.pid_exists(pid)


def read_journal(
    folder: Path, torn: list[TornLine] | None = None, offsets: dict[str, int] | None = None
) -> Iterator[dict[str, Any]]:
    """Every complete record in the folder's files; broken lines go to `torn`.

    With `offsets` (file name → bytes already read), reading starts there and
    the dict is moved to the end of what was consumed. An unfinished last line
    of a file whose writer is still alive is being written right now: it is
    left for the next read, not reported.
    """
    for path in journal_files(folder):
        position = offsets.get(path.name, 0) if offsets is not None else 0
        with open(path, "rb") as fh:
            fh.seek(position)
            for raw in fh:
                if not raw.endswith(b"\n") and writer_alive(path):
                    break
                position += len(raw)
                record = _parse_line(raw)
                if record is not None:
                    yield record
                elif torn is not None:
                    text = raw.decode("utf-8", "replace")
                    torn.append(TornLine(path, position - len(raw), text))
        if offsets is not None:
            offsets[path.name] = position


def _parse_line(raw: bytes) -> dict[str, Any] | None:
    if not raw.endswith(b"\n"):
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None
