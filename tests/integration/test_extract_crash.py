"""A process killed (SIGKILL) in the middle of a partition leaves the previous one intact."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipeline.extract import StripeHttp
from pipeline.raw.materialize import materialize_month
from pipeline.raw.partition import partition_path
from pipeline.sandbox.running import SandboxServer
from pipeline.stripe_objects import BY_NAME

MONTH = "2026-10"
WRITER = """
import asyncio, sys
from pathlib import Path
from pipeline.extract import ParquetSinks, StripeHttp, extract_month
from pipeline.raw.partition import write_partition
from pipeline.stripe_objects import BY_NAME

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
    from pipeline.sandbox.generator import ensure_account

    account = ensure_account("small", data_dir=tmp_path / "sandbox")
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    with SandboxServer(account) as fast:
        config = StripeHttp(fast.api_key, api_base=fast.base_url)
        when = datetime(2026, 11, 1, tzinfo=UTC)
        obj = BY_NAME["balance_transactions"]
        asyncio.run(materialize_month(config, obj, MONTH, raw, wh, extracted_at=when))
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
