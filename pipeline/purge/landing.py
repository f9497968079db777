"""Blank purged customers in the landing files (`<data_dir>/landing/webhooks|rejections`).

The landing files are the receiver's append-only journal, and ingestion keeps
how many bytes of each file it has read (`events.landing_offsets`; torn lines
are keyed by their byte position too). So a line naming a purged customer is
rewritten at the same byte length: the blanked record, padded with spaces (JSON
whitespace) before its newline. No line moves and every offset stays valid.
The blanked body no longer matches its `stripe-signature`, so that goes too
(which also leaves room for a `""` that became `null`).

A file whose writer has exited is replaced whole: a new file, fsynced, renamed
over the old one (atomic). The file a running receiver has open (the pid in
its name is alive) is rewritten in place instead: after a rename the receiver
would go on appending to the old, unlinked file and lose acknowledged
deliveries. In place, the purge writes only complete lines before the end it
read, and the receiver appends after it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.raw.blanking import blank_text, dumps, names
from pipeline.raw.journal import journal_files, writer_alive

FOLDERS = ("webhooks", "rejections")
Plan = dict[Path, list[tuple[int, bytes]]]  # file -> (offset, same-length line)


class LandingLineTooLong(ValueError):
    """A blanked landing line that would not fit in the bytes of the original."""


def blank_record(record: dict, purged: frozenset[str]) -> dict:
    """A delivery with its body blanked, or a rejection without its body prefix."""
    if isinstance(record.get("body"), str):
        try:
            body = blank_text(record["body"], purged)
        except ValueError:  # not JSON (an older receiver, by hand): kept only if not naming them
            body = None if names(record["body"], purged) else record["body"]
        if body == record["body"]:
            return record
        headers = record.get("headers")
        if isinstance(headers, dict):  # the signature was of the body that is gone
            headers = {
                k: None if k.lower() == "stripe-signature" else v for k, v in headers.items()
            }
        return {**record, "body": body, "headers": headers}
    prefix = record.get("body_prefix")
    if isinstance(prefix, str) and names(prefix, purged):
        return {**record, "body_prefix": None}  # a cut-off body: not JSON, cannot be blanked
    return record


def blank_line(raw: bytes, purged: frozenset[str], *, finished: bool) -> bytes | None:
    """The blanked line at the same byte length, or None when it needs no change.

    A torn line (a crash mid-write) cannot be blanked field by field: if it
    names a purged customer its bytes become spaces. An unfinished last line of
    a running writer is being written right now and is left alone.
    """
    complete = raw.endswith(b"\n")
    if not any(c.encode() in raw for c in purged) or not (complete or finished):
        return None
    try:
        record = json.loads(raw) if complete else None
    except ValueError:
        record = None
    if not isinstance(record, dict):
        if not names(raw.decode("utf-8", "replace"), purged):
            return None
        return b" " * (len(raw) - 1) + b"\n" if complete else b" " * len(raw)
    if (blanked := blank_record(record, purged)) == record:
        return None
    text = dumps(blanked).encode("utf-8")
    if len(text) + 1 > len(raw):
        raise LandingLineTooLong(f"{len(text) + 1} bytes blanked, {len(raw)} available")
    return text + b" " * (len(raw) - 1 - len(text)) + b"\n"


def plan_landing(data_dir: Path, purged: frozenset[str]) -> Plan:
    """Every landing line to rewrite, checked to fit, before anything is written."""
    plan: Plan = {}
    for folder in FOLDERS:
        for path in journal_files(Path(data_dir) / "landing" / folder):
            offset, changes, finished = 0, [], not writer_alive(path)
            with open(path, "rb") as handle:
                for raw in handle:
                    try:
                        new = blank_line(raw, purged, finished=finished)
                    except LandingLineTooLong as error:
                        raise LandingLineTooLong(f"{path.name} at byte {offset}: {error}") from None
                    if new is not None:
                        changes.append((offset, new))
                    offset += len(raw)
            if changes:
                plan[path] = changes
    return plan


def apply_landing(plan: Plan) -> int:
    """Write the planned lines; the number of lines rewritten."""
    for path, changes in plan.items():
        if writer_alive(path):
            _rewrite_in_place(path, changes)
        else:
            _replace_file(path, changes)
    return sum(len(changes) for changes in plan.values())


def _rewrite_in_place(path: Path, changes: list[tuple[int, bytes]]) -> None:
    with open(path, "r+b") as handle:
        for offset, line in changes:
            handle.seek(offset)
            handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def _replace_file(path: Path, changes: list[tuple[int, bytes]]) -> None:
    data = bytearray(path.read_bytes())
    for offset, line in changes:
        data[offset : offset + len(line)] = line
    tmp = path.with_name(f".{path.name}.purging")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
