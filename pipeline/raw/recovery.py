"""What a killed writer leaves behind, found and repaired when the next one starts.

- A partition write swaps the Parquet file in, then commits `raw_stripe.<table>`.
  Before the swap it leaves a marker `<raw_dir>/.pending/<table>.<month>`, and
  removes it after the commit. A marker found at start means the process died
  in between: the table may hold the previous rows, so the month is loaded
  again from its Parquet file (which is the truth in either case).
- A table whose typed column `obj` is of an older catalogue is derived again
  from its payloads (`pipeline.raw.retype`), after the repairs.
- Scratch folders under `<raw_dir>/.scratch` are named `…-<pid>-<suffix>`; those
  of processes that are gone (or named without a pid, by older versions) go.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from pipeline.raw.files import alive, fsync_folder
from pipeline.raw.retype import retype_raw
from pipeline.raw.schema import PARTITION_FILE
from pipeline.raw.warehouse import Warehouse, load_partition

PENDING_DIR = ".pending"
SCRATCH_DIR = ".scratch"
SCRATCH_PID = re.compile(r"-(\d+)-[A-Za-z0-9_]+$")
MARKER = re.compile(r"(?P<table>[a-z_]+)\.(?P<month>\d{4}-\d{2})")


def marker_path(raw_dir: Path, table: str, month: str) -> Path:
    return Path(raw_dir) / PENDING_DIR / f"{table}.{month}"


def mark_pending(raw_dir: Path, table: str, month: str) -> Path:
    """Durably note that `table`/`month` is about to change on disk before DuckDB."""
    marker = marker_path(raw_dir, table, month)
    marker.parent.mkdir(parents=True, exist_ok=True)
    with open(marker, "w") as handle:
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        os.fsync(handle.fileno())
    fsync_folder(marker.parent)
    return marker


def scratch_folder_name(stem: str) -> str:
    """A scratch folder name that tells which process owns it."""
    return f"{stem}-{os.getpid()}-"


def remove_dead_scratch(raw_dir: Path) -> list[Path]:
    """Remove scratch folders whose writer is gone; the folders removed."""
    root = Path(raw_dir) / SCRATCH_DIR
    removed = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if not folder.is_dir():
            continue  # DuckDB's spill files of live builders live here too
        match = SCRATCH_PID.search(folder.name)
        if match and alive(int(match[1])):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def repair_pending(raw_dir: Path, warehouse: Warehouse) -> list[tuple[str, str]]:
    """Load again every partition a killed writer left half-committed; which ones."""
    folder = Path(raw_dir) / PENDING_DIR
    repaired = []
    for marker in sorted(folder.iterdir()) if folder.is_dir() else []:
        match = MARKER.fullmatch(marker.name)
        if match is None:
            continue
        table, month = match["table"], match["month"]
        if _writer_alive(marker):
            continue  # a concurrent run's, between its rename and its load
        final = Path(raw_dir) / "stripe" / table / f"month={month}" / PARTITION_FILE
        if final.exists():
            load_partition(warehouse, table, month, final)
        marker.unlink(missing_ok=True)
        repaired.append((table, month))
    return repaired


def _writer_alive(marker: Path) -> bool:
    try:
        pid = marker.read_text().split()[0]
    except (OSError, IndexError):
        return False
    return pid.isdigit() and int(pid) != os.getpid() and alive(int(pid))


def recover_raw(raw_dir: Path, warehouse: Warehouse) -> list[tuple[str, str]]:
    """At the start of a raw writer: dead scratch removed, half-committed months repaired,
    `obj` of an older catalogue derived again; the months repaired."""
    remove_dead_scratch(raw_dir)
    repaired = repair_pending(raw_dir, warehouse)
    retype_raw(raw_dir, warehouse)
    return repaired
