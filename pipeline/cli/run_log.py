"""Where `make run`'s Dagster and dbt logs go: a file under `data/logs/`, and the console
only with `-v`.

`run_log` opens `data/logs/run-<UTC time>.log` and gives the Python logger that
Dagster's `run_log` logger definition hands to every job (DEBUG and up). What
dbt prints (dagster-dbt writes its lines to stdout) and Python's warnings are
routed to the same logger while a job runs (`captured_output`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

LOGGER_NAME = "stripe_warehouse.run"
FORMAT = "%(asctime)s - %(levelname)s - %(message)s"


class QuietFileHandler(logging.FileHandler):
    """A log file that never interrupts the run: a full disk stops it on its own, in one line."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def log_file_path(data_dir: Path, now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    return Path(data_dir) / "logs" / f"run-{now:%Y%m%dT%H%M%SZ}.log"


@contextlib.contextmanager
def run_log(path: Path, *extra: logging.Handler, console: bool = False) -> Iterator[logging.Logger]:
    """The run's logger: to `path`, to `extra` handlers, and to stdout when `console`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    file = QuietFileHandler(path, encoding="utf-8")
    file.setFormatter(logging.Formatter(FORMAT))
    handlers: list[logging.Handler] = [file, *extra]
    if console:
        shown = logging.StreamHandler(sys.stdout)
        shown.setFormatter(logging.Formatter(FORMAT))
        handlers.append(shown)
    warnings = logging.getLogger("py.warnings")
    for handler in handlers:
        logger.addHandler(handler)
        warnings.addHandler(handler)
    warnings.propagate = False
    logging.captureWarnings(True)
    # The console sees none of these records (unless `console`, which shows tracebacks
    # anyway): the file keeps whole tracebacks, which `failures.short_log_errors` cuts.
    factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    try:
        yield logger
    finally:
        logging.setLogRecordFactory(factory)
        logging.captureWarnings(False)
        for handler in handlers:
            logger.removeHandler(handler)
            warnings.removeHandler(handler)
        file.close()


def dagster_loggers(logger: logging.Logger) -> dict[str, dg.LoggerDefinition]:
    """The jobs' one logger: `logger`, at DEBUG."""

    @dg.logger(description="The run's log file under data/logs/ (and the console with -v).")
    def run_log(_: dg.InitLoggerContext) -> logging.Logger:
        return logger

    return {"run_log": run_log}


class LineLogger(io.TextIOBase):
    """A text stream whose every line is an INFO record of `logger`."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger, self.pending = logger, ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            self.logger.info(line)
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.logger.info(self.pending)
            self.pending = ""


@contextlib.contextmanager
def captured_output(logger: logging.Logger | None) -> Iterator[None]:
    """While a job runs, what is printed (dbt's lines) goes to `logger` (None: as it was)."""
    if logger is None:
        yield
        return
    stream = LineLogger(logger.getChild("stdout"))
    with contextlib.redirect_stdout(stream):
        try:
            yield
        finally:
            stream.flush()
