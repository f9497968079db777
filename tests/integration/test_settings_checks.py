"""Wrong settings stop `make run` and the backfill at once, in one line, writing nothing.

Each command runs as users run it (`python -m pipeline.cli.run`, `python -m
pipeline.cli.backfill`) in a folder of its own, against a real server: the sandbox
over HTTP (one that accepts a single key), a closed port, a name that does not
resolve, a socket that never answers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stripe_sandbox.running import SandboxServer, free_port

RIGHT_KEY = "sk_test_51RightKeyOfTheAccount0000aaaa"
WRONG_KEY = "sk_test_51WrongKeyPastedByMistake9999zzzz"


def command(args: list[str], cwd: Path, timeout: float = 15, **env: str):
    """`args` as a subprocess in `cwd`, with Stripe settings from `env` only."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "DAGSTER_HOME"))}
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, env={**base, **env},
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def one_key_sandbox(small_account) -> Iterator[SandboxServer]:
    with SandboxServer(small_account, key=RIGHT_KEY) as server:
        yield server


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


def test_backfill_of_month_13_exits_at_once_in_one_line(tmp_path):
    done = command(["pipeline.cli.backfill", "--from", "2026-13", "--to", "2027-01"], tmp_path)
    assert "--from='2026-13' is not a month" in one_error_line(done)
    assert done.returncode == 2 and list(tmp_path.iterdir()) == []
    done = command(["pipeline.cli.backfill", "--from", "2026-06", "--to", "2026-01"], tmp_path)
    assert "--from 2026-06 is after --to 2026-01" in one_error_line(done)
    done = command(["pipeline.cli.backfill", "--from", "2026-06", "--to", "2999-01"], tmp_path)
    assert "--to=2999-01 is in the future" in one_error_line(done)


def test_make_run_with_a_refused_base_exits_at_once_and_saves_no_first_month(tmp_path):
    port = free_port()
    done = command(["pipeline.cli.run"], tmp_path, STRIPE_API_KEY="sk_test_x",
                   STRIPE_API_BASE=f"http://127.0.0.1:{port}")  # fmt: skip
    line = one_error_line(done)
    assert f"127.0.0.1:{port} refused the connection" in line and "STRIPE_API_BASE" in line
    assert not (tmp_path / "data" / "state" / "first_month").exists()
    assert list(tmp_path.iterdir()) == [], "something was written"


def test_a_refused_key_is_one_line_with_the_key_masked(one_key_sandbox, tmp_path):
    env = {"STRIPE_API_KEY": WRONG_KEY, "STRIPE_API_BASE": one_key_sandbox.base_url}
    for args in (
        ["pipeline.cli.run"],
        ["pipeline.cli.backfill", "--from", "2026-09", "--to", "2026-10"],
    ):
        line = one_error_line(command(args, tmp_path, **env))
        assert f"{one_key_sandbox.host}:{one_key_sandbox.port} refused STRIPE_API_KEY" in line
        assert "(401)" in line and WRONG_KEY not in line
        assert "sk_test_" + "*" * (len(WRONG_KEY) - 12) + "zzzz" in line
    assert list(tmp_path.iterdir()) == []


def test_a_name_that_does_not_resolve_and_a_silent_server(tmp_path, silent_port):
    dns = command(["pipeline.cli.run"], tmp_path, STRIPE_API_KEY="sk_test_x",
                  STRIPE_API_BASE="https://no-such-host.invalid")  # fmt: skip
    assert "'no-such-host.invalid' does not resolve" in one_error_line(dns)
    silent = command(["pipeline.cli.run"], tmp_path, STRIPE_API_KEY="sk_test_x",
                     STRIPE_API_BASE=f"http://127.0.0.1:{silent_port}")  # fmt: skip
    assert f"no answer from 127.0.0.1:{silent_port} within 5 s" in one_error_line(silent)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"STRIPE_START_MONTH": "2026-13"}, "STRIPE_START_MONTH='2026-13' is not a month"),
        ({"STRIPE_START_MONTH": "2999-01"}, "STRIPE_START_MONTH=2999-01 is in the future"),
        ({"STRIPE_API_KEY": "pk_live_abcdefghijklmnop1234"}, "is a publishable key (pk_live_"),
        ({"STRIPE_API_KEY": "sk_test_x", "STRIPE_API_BASE": "api.stripe.com"}, "is not a URL"),
        ({"STRIPE_API_KEY": "sk_test_x", "STRIPE_ACCOUNT": "cus_1"}, "not a connected account"),
    ],
)
def test_a_wrong_setting_is_one_line(tmp_path, settings, expected):
    assert expected in one_error_line(command(["pipeline.cli.run"], tmp_path, **settings))
    assert list(tmp_path.iterdir()) == []


def test_a_resync_with_a_wrong_setting_empties_nothing(tmp_path):
    kept = tmp_path / "data" / "raw" / "stripe" / "charges" / "month=2026-10" / "part-0.parquet"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"the only copy until Stripe answers")
    done = command(["pipeline.cli.resync", "--yes"], tmp_path, STRIPE_API_KEY="sk_test_x",
                   STRIPE_API_BASE=f"http://127.0.0.1:{free_port()}")  # fmt: skip
    assert "refused the connection" in one_error_line(done)
    assert kept.read_bytes() == b"the only copy until Stripe answers"
