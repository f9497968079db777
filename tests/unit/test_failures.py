"""What stops a command is one line on stderr; the traceback only when asked for."""

from __future__ import annotations

import errno

import dagster as dg

from pipeline.cli.failures import one_line, run_command
from pipeline.extract.errors import StripeApiError
from pipeline.settings import SettingsError

KEY = "sk_test_51AbCdEfGhIjKlMnOpQrStUvWx9876"


def raising(error: BaseException):
    def work() -> int:
        raise error

    return work


def wrapped(inner: BaseException) -> BaseException:
    """An error as Dagster hands it back: the user's error is the cause."""
    try:
        try:
            raise inner
        except BaseException as cause:
            raise dg.DagsterExecutionStepExecutionError(
                "Error occurred while executing op"
            ) from cause
    except BaseException as outer:
        return outer


def test_the_cause_is_found_through_dagster_wrappers():
    error = wrapped(SettingsError("STRIPE_START_MONTH='2026-13' is not a month"))
    assert one_line(error) == "STRIPE_START_MONTH='2026-13' is not a month"
    api = StripeApiError(401, "Invalid API Key provided", path="/v1/charges")
    assert one_line(wrapped(api)).startswith("Stripe 401 on GET /v1/charges")


def test_a_full_disk_and_a_read_only_folder_are_named(tmp_path):
    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "raw" / "x.parquet"))
    line = one_line(wrapped(full))
    assert line.startswith(f"no space left on the disk writing {tmp_path}/raw/x.parquet (")
    assert "MB free" in line
    denied = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "warehouse.duckdb"))
    expected = f"cannot write {tmp_path}/warehouse.duckdb (Permission denied): make the data"
    assert one_line(denied) == expected + " folder writable"
    readonly = OSError(errno.EROFS, "Read-only file system", "data/raw")
    assert "cannot write data/raw (Read-only file system)" in one_line(readonly)
    duckdb_text = RuntimeError(
        'IO Error: Could not write file "data/w.duckdb": No space left on device'
    )
    assert one_line(duckdb_text).startswith("no space left on the disk writing")


def test_run_command_prints_one_line_and_exits_non_zero(capsys, monkeypatch):
    monkeypatch.delenv("STRIPE_WAREHOUSE_DEBUG", raising=False)
    assert run_command(raising(wrapped(SettingsError("bad setting"))), verbose=False) == 2
    assert capsys.readouterr().err == "error: bad setting\n"
    assert run_command(raising(ValueError(f"boom with {KEY}\nmore")), verbose=False) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and KEY not in err and "sk_test_" in err
    assert "ValueError: boom" in err and "STRIPE_WAREHOUSE_DEBUG=1" in err
    assert run_command(lambda: 0) == 0


def test_the_traceback_only_when_asked(capsys, monkeypatch):
    monkeypatch.setenv("STRIPE_WAREHOUSE_DEBUG", "1")
    assert run_command(raising(ValueError("boom"))) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and err.endswith(
        "error: ValueError: boom (rerun with STRIPE_WAREHOUSE_DEBUG=1 for the traceback)\n"
    )
