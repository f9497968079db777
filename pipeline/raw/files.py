"""Atomic files: write beside the target, fsync, rename over it, fsync the folder."""

from __future__ import annotations

import contextlib
import os
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
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path, target_name: str) -> None:
    """Delete scratch files of `target_name` left by processes that are gone."""
    for tmp in folder.glob(f".{target_name}.*{TMP_SUFFIX}"):
        pid = tmp.name.removeprefix(f".{target_name}.").removesuffix(TMP_SUFFIX)
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
