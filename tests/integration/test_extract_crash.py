"""A process killed (SIGKILL) in the middle of a partition leaves the previous one intact,
and what it leaves behind (scratch, a half-committed month) is cleaned and repaired
by the next writer that starts."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from pipeline.extract import StripeHttp
from pipeline.raw.loader import extract_to_raw
from pipeline.raw.partition import partition_path
from stripe_sandbox.running import SandboxServer

MONTH = "2026-10"
WRITER = """
import asyncio, sys
from pathlib import Path
from pipeline.extract import ParquetSinks, StripeHttp, extract_month
from pipeline.raw.partition import write_partition
from pipeline.catalog import BY_NAME

base, key, raw, wh, month = sys.argv[1:]
async def main():
    sinks = ParquetSinks(Path(raw) / ".scratch" / "crash", row_group_rows=10)
    config = StripeHttp(key, api_base=base, page_size=10, max_concurrency=1)
    await extract_month(config, BY_NAME["balance_transactions"], month, sinks)
    write_partition(Path(raw), Path(wh), "balance_transactions", month,
                    sinks.close()["balance_transactions"])
asyncio.run(main())
"""


def table_rows(wh: Path) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        sql = "select id, payload from raw_stripe.balance_transactions order by id"
        return con.execute(sql).fetchall()


def test_kill_during_a_partition_keeps_the_previous_one(tmp_path):
    from stripe_sandbox.generator import ensure_account

    account = ensure_account("small", data_dir=tmp_path / "sandbox")
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    with SandboxServer(account) as fast:
        config = StripeHttp(fast.api_key, api_base=fast.base_url)
        asyncio.run(extract_to_raw(config, ["balance_transactions"], [MONTH], raw, wh))
    final = partition_path(raw, "balance_transactions", MONTH)
    old_file, old_rows = final.read_bytes(), table_rows(wh)
    assert len(old_rows) > 20

    with SandboxServer(account, latency_ms=400.0) as slow:
        args = [slow.base_url, slow.api_key, str(raw), str(wh), MONTH]
        writer = subprocess.Popen([sys.executable, "-c", WRITER, *args])
        scratch = raw / ".scratch" / "crash" / "balance_transactions.parquet"
        deadline = time.monotonic() + 60
        while not scratch.exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until pages have landed in the scratch file
        assert writer.poll() is None, "the writer finished before it could be killed"
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        assert writer.returncode == -signal.SIGKILL
        assert final.read_bytes() == old_file
        assert table_rows(wh) == old_rows
        assert sorted(p.name for p in final.parent.iterdir()) == ["part-0.parquet"]
        assert (raw / ".scratch" / "crash").is_dir()
        next_start(slow, tmp_path)  # the killed writer's scratch goes at the next start
    assert not (raw / ".scratch" / "crash").exists()


KILLED_AT_COMMIT = """
import asyncio, os, signal, sys
from pathlib import Path
import pipeline.raw.partition as partition
from pipeline.extract import StripeHttp
from pipeline.raw.loader import extract_to_raw

def killed(*args, **kwargs):  # the Parquet file is swapped in; DuckDB never commits
    os.kill(os.getpid(), signal.SIGKILL)

partition.load_partition = killed
base, key, raw, wh, month = sys.argv[1:]
asyncio.run(extract_to_raw(StripeHttp(key, api_base=base), ["balance_transactions"], [month],
                           Path(raw), Path(wh)))  # a later extraction: rows stamped later
"""


def parquet_rows(path: Path) -> list[tuple]:
    with duckdb.connect() as con:
        sql = "select id, payload, extracted_at from read_parquet(?) order by id"
        return con.execute(sql, [str(path)]).fetchall()


def duckdb_rows(wh: Path) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        sql = ("select id, payload, extracted_at from raw_stripe.balance_transactions"
               " where month = ? order by id")  # fmt: skip
        return con.execute(sql, [MONTH]).fetchall()


def next_start(sandbox: SandboxServer, data_dir: Path) -> None:
    """Any later backfill, here of another object and month, as a user would start it."""
    env = {**os.environ, "STRIPE_API_KEY": sandbox.api_key, "STRIPE_API_BASE": sandbox.base_url}
    months = ["--from", "2026-11", "--to", "2026-11"]
    command = [sys.executable, "-m", "pipeline.cli.backfill", *months,
               "--objects", "customers", "--data-dir", str(data_dir)]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_kill_between_the_parquet_swap_and_the_commit_is_repaired_at_the_next_start(
    sandbox, tmp_path
):
    data = tmp_path / "data"
    raw, wh = data / "raw", data / "warehouse.duckdb"
    config = StripeHttp(sandbox.api_key, api_base=sandbox.base_url)
    asyncio.run(extract_to_raw(config, ["balance_transactions"], [MONTH], raw, wh))
    before = duckdb_rows(wh)

    args = [sandbox.base_url, sandbox.api_key, str(raw), str(wh), MONTH]
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_COMMIT, *args], timeout=300)
    assert killed.returncode == -signal.SIGKILL
    final = partition_path(raw, "balance_transactions", MONTH)
    swapped = parquet_rows(final)
    assert swapped != before and duckdb_rows(wh) == before, "the crash left DuckDB stale"
    assert (raw / ".pending" / f"balance_transactions.{MONTH}").exists()
    assert any(p.is_dir() for p in (raw / ".scratch").iterdir()), "no scratch left to clean"

    next_start(sandbox, data)
    assert duckdb_rows(wh) == swapped
    assert list((raw / ".pending").iterdir()) == []
    assert [p for p in (raw / ".scratch").iterdir() if p.is_dir()] == []
