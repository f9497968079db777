"""Benchmark: `dbt build` of the whole dbt project (staging, marts, every test) on a big account.

1. the preset's sandbox account is generated, or reused from data/sandbox;
2. the real extractor (`pipeline.raw.loader`) lists the whole account from
   the served sandbox into a raw layer under bench/out/transform/<preset>/
   (kept, and reused with --reuse);
   With --scale N, that raw layer is copied N times into one warehouse, every
   object id suffixed per copy (in the raw columns and inside the payloads), so
   N self-consistent copies of the account stand in for a bigger one;
3. `dbt build` runs on that warehouse as a subprocess, timed, with the peak
   resident memory of its process tree sampled every 50 ms.
Prints the command, seconds and peak memory against the targets (60 s, 4 GB)
and appends a "Transform" section to bench/RESULTS.md.

    .venv/bin/python bench/transform.py [--preset large] [--account FILE] [--scale N] [--reuse]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psutil

from pipeline.extract import StripeHttp
from pipeline.months import month_of, months_between
from pipeline.raw.loader import extract_to_raw, raw_tables
from pipeline.raw.typed import typed_expression
from stripe_sandbox.generator import ensure_account
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "dbt_project"
OUT = ROOT / "bench" / "out" / "transform"
TARGET_SECONDS, TARGET_BYTES = 60.0, 4 * 1024**3
ID_PATTERN = (
    r'"((?:cus|prod|price|sub|si|in|il|inpay|ii|ch|py|re|pyr|du|dp|po|tr|trr|txn|evt|fee|fr'
    r'|pi|pm|card|src)_[A-Za-z0-9]{10,})"'
)


def extract_account(account: Path, warehouse: Path) -> None:
    """The whole platform account in `account`, listed by the real extractor into `warehouse`."""
    meta = read_meta(open_reader(account))
    oldest = open_reader(account).execute("select min(created) from objects").fetchone()[0]
    months = months_between(month_of(oldest), month_of(int(meta["clock"])))
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    warehouse.parent.mkdir(parents=True)
    started = time.perf_counter()
    with SandboxServer(account) as sandbox:
        config = StripeHttp(
            api_key=sandbox.api_key,
            api_base=sandbox.base_url,
            requests_per_second=1000.0,
            endpoint_requests_per_second=1000.0,
        )
        asyncio.run(
            extract_to_raw(config, raw_tables(), months, warehouse.parent / "raw", warehouse)
        )
    print(
        f"extracted {account.name} ({len(months)} months) in {time.perf_counter() - started:.0f} s"
    )


def scaled_copy(source: Path, target: Path, copies: int) -> None:
    """`copies` copies of every raw table of `source`, ids suffixed `_r<copy>` in each."""
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    with duckdb.connect(str(target)) as conn:
        conn.execute(f"attach '{source}' as source (read_only)")
        conn.execute("create schema raw_stripe")
        for table in raw_tables():
            # find the ids once (a marker after each), then write each copy's suffix over it
            conn.execute(f"""
                create temp table marked as
                select * replace (regexp_replace(payload, '{ID_PATTERN}', '"\\1~"', 'g')
                    as payload)
                from source.raw_stripe.{table}
            """)  # fmt: skip
            conn.execute(f"""
                create table raw_stripe.{table} as
                select * exclude (suffix) replace (
                    {"payout_id || suffix as payout_id, balance_transaction_id || suffix "
                     "as balance_transaction_id," if table == "payout_balance_transactions" else ""}
                    id || suffix as id,
                    event_id || suffix as event_id,
                    replace(payload, '~"', suffix || '"') as payload
                )
                from (select *, '_r' || copy as suffix
                      from marked, range({copies}) as copies (copy))
            """)  # fmt: skip
            conn.execute("drop table marked")
            # `obj` is parsed from the payload: parse the suffixed payloads again
            conn.execute(f"update raw_stripe.{table} set obj = {typed_expression(table)}")
    print(f"scaled ×{copies} in {time.perf_counter() - started:.0f} s")


def raw_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {
            table: conn.execute(f"select count(distinct id) from raw_stripe.{table}").fetchone()[0]
            for table in ("charges", "balance_transactions", "payouts", "invoices", "customers")
        }


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total


def timed_dbt_build(warehouse: Path, command: list[str]) -> tuple[float, int, str]:
    """Runs dbt build; returns (seconds, peak RSS bytes of its process tree, dbt's last line)."""
    env = os.environ | {"WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    peak, watched = 0, psutil.Process(process.pid)

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_rss(watched))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.communicate()[0]
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        print(output[-6000:])
        raise SystemExit(f"dbt build failed with exit code {process.returncode}")
    done = [line for line in output.splitlines() if "Done. PASS=" in line]
    return seconds, peak, done[-1].split("  ", 1)[-1].strip() if done else ""


def append_results(preset: str, counts: dict, seconds: float, peak: int, command: str, done: str):
    """Appends the run to bench/RESULTS.md (`preset` says which account, and any scaling)."""
    gib = peak / 1024**3
    verdict = "meets" if seconds <= TARGET_SECONDS and peak <= TARGET_BYTES else "misses"
    lines = [
        "",
        f"## Transform ({dt.date.today().isoformat()}, preset `{preset}`)",
        "",
        f"`{command}` (2-core machine, shared): **{seconds:.1f} s**, peak memory "
        f"**{gib:.2f} GiB** (targets: 60 s, 4 GB: {verdict} them).",
        "",
        "Raw rows (distinct ids): " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ".",
        f"dbt: {done}.",
        "",
    ]
    with (ROOT / "bench" / "RESULTS.md").open("a") as f:
        f.write("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="large")
    parser.add_argument("--reuse", action="store_true", help="reuse the extracted raw layer")
    parser.add_argument("--sandbox-dir", type=Path, default=Path("data/sandbox"))
    parser.add_argument("--account", type=Path, help="an existing account file (any version)")
    parser.add_argument("--scale", type=int, default=1, help="copies of the account (see above)")
    args = parser.parse_args()
    warehouse = OUT / args.preset / "warehouse.duckdb"
    if not (args.reuse and warehouse.exists()):
        account = args.account or ensure_account(args.preset, data_dir=args.sandbox_dir)
        extract_account(account, warehouse)
    if args.scale > 1:
        scaled = OUT / f"{args.preset}-x{args.scale}" / "warehouse.duckdb"
        if not (args.reuse and scaled.exists()):
            scaled.parent.mkdir(parents=True, exist_ok=True)
            scaled_copy(warehouse, scaled, args.scale)
        warehouse = scaled
    counts = raw_counts(warehouse)
    dbt = str(Path(sys.executable).parent / "dbt")
    command = [dbt, "build", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
               "--target-path", str(OUT / "target"), "--log-path", str(OUT / "logs")]  # fmt: skip
    shown = f"WAREHOUSE_PATH={warehouse.relative_to(ROOT)} " + " ".join(
        [".venv/bin/dbt", *command[1:]]
    ).replace(str(ROOT) + "/", "")
    print(f"raw rows: {counts}\nrunning: {shown}")
    seconds, peak, done = timed_dbt_build(warehouse, command)
    print(f"dbt build: {seconds:.1f} s (target {TARGET_SECONDS:.0f} s), "
          f"peak memory {peak / 1024**3:.2f} GiB (target 4 GB); {done}")  # fmt: skip
    name = args.preset + (f" ×{args.scale} (copies with suffixed ids)" if args.scale > 1 else "")
    name += f", account file {args.account.name}" if args.account else ""
    append_results(name, counts, seconds, peak, shown, done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
