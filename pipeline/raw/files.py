"""Atomic files: write beside the target, fsync, rename over it, fsync the folder."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

TMP_SUFFIX = ".tmp"


def temp_path_for(target: Path) -> Path:
    """A scratch name in the target's folder that no `*.parquet` glob matches."""
    return target.with_name(f".{target.name}.{os.getpid()}{TMP_SUFFIX}")


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def replace_atomically(tmp: Path, target: Path) -> None:
    """Make `tmp` durable, then swap it in for `target` in one rename."""
    fsync_file(tmp)
    os.replace(tmp, target)
    fsync_folder(target.parent)


def fsync_folder(folder: Path) -> None:
    """Make renames and new names in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path, target_name: str) -> list[Path]:
    """Delete scratch files of `target_name` (`.<name>.<pid>.tmp`, and the `.wal` a
    DuckDB scratch file may have) left by processes that are gone; those deleted."""
    removed = []
    for tmp in folder.glob(f".{target_name}.*{TMP_SUFFIX}*"):
        rest = tmp.name.removeprefix(f".{target_name}.")
        pid, _, suffix = rest.partition(".")
        if pid.isdigit() and suffix in ("tmp", "tmp.wal") and not alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            removed.append(tmp)
    return removed


def alive(pid: int) -> bool:
    """Whether process `pid` still runs (this process always does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_HELD = threading.local()
"""The locks this thread holds, by path: taking one it holds already is a no-op (a purge,
holding the raw folder's lock, rewrites partitions that take it shared)."""


@contextlib.contextmanager
def file_lock(path: Path, *, shared: bool = False) -> Iterator[None]:
    """`flock` on `path` (created when missing): one exclusive holder, or any number of
    shared ones, across the processes of this machine; released when the block ends or the
    process dies."""
    key, held = str(path), _HELD.__dict__.setdefault("paths", set())
    if key in held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
