"""Failures of a command-line run as one line; the traceback only when asked for.

`run_command(main)` runs a command's work and turns whatever stops it into one
line on stderr and exit code 1 (2 for a wrong setting). The cause is found
through Dagster's wrappers (a step or resource error carries the user's error
as its cause). `-v` or `STRIPE_WAREHOUSE_DEBUG=1` shows the whole traceback.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipeline.extract.errors import KEY_PATTERN, StripeApiError
from pipeline.settings import DEBUG_ENV, SettingsError, debug_requested, mask_key

DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
ACCESS_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}
QUOTED_PATH = re.compile(r"[\"']([^\"']*/[^\"']+)[\"']")


def causes(error: BaseException) -> list[BaseException]:
    """`error`, then what caused it, then what caused that…"""
    chain: list[BaseException] = []
    while error is not None and all(error is not seen for seen in chain):
        chain.append(error)
        error = getattr(error, "user_exception", None) or error.__cause__ or error.__context__
    return chain


def _disk_line(error: OSError) -> str:
    if not error.filename and (named := QUOTED_PATH.search(str(error))):
        error = OSError(errno.ENOSPC, str(error), named[1])  # DuckDB: Could not write file "…"
    where = Path(error.filename or ".").resolve()
    while not where.exists() and where != where.parent:
        where = where.parent
    free = shutil.disk_usage(where).free // 2**20
    return (f"no space left on the disk writing {error.filename or where} ({free} MB free): "
            "free some space, or use a data folder on another disk")  # fmt: skip


def _os_line(error: OSError) -> str | None:
    text = str(error)
    if error.errno in DISK_ERRNOS or "No space left" in text or "Disk quota" in text:
        return _disk_line(error)
    if error.errno in ACCESS_ERRNOS or "Permission denied" in text or "Read-only file" in text:
        where = error.filename or text.splitlines()[0][:200]
        reason = os.strerror(error.errno or errno.EACCES)
        return f"cannot write {where} ({reason}): make the data folder writable"
    return None


def one_line(error: BaseException) -> str:
    """The most telling line about why the run stopped; never a key."""
    chain = causes(error)
    for cause in chain:
        if isinstance(cause, SettingsError | StripeApiError):
            return str(cause)
        if isinstance(cause, OSError) and (line := _os_line(cause)):
            return line
    for cause in chain:
        text = str(cause)
        if "No space left on device" in text:
            return _disk_line(OSError(errno.ENOSPC, text))
        if "Permission denied" in text or "Read-only file system" in text:
            named = QUOTED_PATH.search(text)
            where = named[1] if named else text.splitlines()[0][:200]
            return f"cannot write {where}: make the data folder writable"
    root = chain[-1]
    first = (str(root).strip().splitlines() or [""])[0][:300]
    return f"{type(root).__name__}: {first} (rerun with {DEBUG_ENV}=1 for the traceback)"


TRACE_MARKERS = ("Stack Trace:", "Traceback (most recent call last)")


@contextlib.contextmanager
def short_log_errors() -> Iterator[None]:
    """Log records that carry a stack trace (Dagster's step failures) keep their first
    part only, while the block runs; the event log keeps the whole error for the UI."""
    make_record = logging.getLogRecordFactory()

    def shortened(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        text = record.msg if isinstance(record.msg, str) else ""
        if any(marker in text for marker in TRACE_MARKERS):
            record.msg = text.split("\n\n")[0] + f" (the traceback: {DEBUG_ENV}=1)"
            record.args, record.exc_info, record.exc_text = None, None, None
        return record

    logging.setLogRecordFactory(shortened)
    try:
        yield
    finally:
        logging.setLogRecordFactory(make_record)


def wants_traceback(argv: list[str] | None = None) -> bool:
    argv = sys.argv[1:] if argv is None else argv
    return debug_requested() or "-v" in argv or "--verbose" in argv


def run_command(work: Callable[[], int], *, verbose: bool | None = None) -> int:
    """`work()`'s exit code; a failure is one line on stderr and exit 1 (2: a setting)."""
    debug = wants_traceback() if verbose is None else verbose
    try:
        with contextlib.nullcontext() if debug else short_log_errors():
            return work()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if debug:
            traceback.print_exc()
        line = KEY_PATTERN.sub(lambda m: mask_key(m[0]), one_line(error))
        print(f"error: {line}", file=sys.stderr)
        return 2 if any(isinstance(c, SettingsError) for c in causes(error)) else 1
