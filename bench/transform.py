"""Benchmark: `dbt build` of the whole dbt project (staging, marts, every test) on a big account.

1. the preset's sandbox account is generated, or reused from data/sandbox;
2. the real extractor (`pipeline.raw.loader`) lists the whole account from
   the served sandbox into a raw layer under bench/out/transform/<preset>/
   (kept, and reused with --reuse);
   With --scale N, that raw layer is copied N times into one warehouse, every
   object id suffixed per copy (in the raw columns and inside the payloads), so
   N self-consistent copies of the account stand in for a bigger one;
3. three builds on copies of that warehouse, each a `dbt build` subprocess with
   its CPU-seconds (the kernel's count for the child tree), peak resident
   memory (sampled every 50 ms) and wall time: the full build
   (`--full-refresh`); a daily refresh after one day of changes (a newer
   snapshot of 0.2% of every raw table's objects); and, in the same run, the
   previous approach's full build (JSON staging, no incremental models: the
   dbt project of `--baseline REF`, checked out as a git worktree) on the same
   rows without their typed columns.
Prints each build and the ratios, and replaces the "Transform" section of
bench/RESULTS.md with them (the machine load at the start and the end beside).

    .venv/bin/python bench/transform.py [--preset default] [--scale 103] [--reuse] [--baseline REF]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psutil

from pipeline.defs.assets.dbt import DBT_BUILD_ARGS
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
BASELINE_REF = "8f505fa"  # the last commit with JSON staging and full builds only
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
    """Resident memory of `process` and its children; 0 for what ended meanwhile."""
    with contextlib.suppress(psutil.Error):
        family = [process, *process.children(recursive=True)]
        return sum(proc.memory_info().rss for proc in family)
    return 0


@dataclass(frozen=True)
class Measured:
    """One dbt build: wall seconds, CPU-seconds of its process tree, peak RSS, dbt's verdict."""

    label: str
    seconds: float
    cpu: float
    peak: int
    done: str
    breakdown: str

    def line(self) -> str:
        return (f"{self.label}: {self.seconds:.1f} s wall, {self.cpu:.1f} CPU-s, "
                f"peak {self.peak / 1024**3:.2f} GiB; {self.done}\n  {self.breakdown}")  # fmt: skip


def where_time_goes(run_results: Path, top: int = 5) -> str:
    """dbt's own seconds per node: models and tests in all, and the slowest models."""
    results = json.loads(run_results.read_text())["results"]
    seconds = {r["unique_id"]: r["execution_time"] for r in results}
    models = {k.rsplit(".", 1)[-1]: v for k, v in seconds.items() if k.startswith("model.")}
    tests = sum(v for k, v in seconds.items() if k.startswith("test."))
    slowest = sorted(models.items(), key=lambda item: -item[1])[:top]
    return (f"node-seconds: models {sum(models.values()):.1f}, tests {tests:.1f}; slowest: "
            + ", ".join(f"{name} {value:.1f}" for name, value in slowest))  # fmt: skip


def measured_dbt(label: str, warehouse: Path, project: Path, *flags: str) -> Measured:
    """`dbt build` of `project` on `warehouse`, measured: CPU-seconds from the kernel's
    accounting of the waited-for child tree, peak RSS sampled every 50 ms."""
    env = os.environ | {"WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"}
    dbt = str(Path(sys.executable).parent / "dbt")
    target = OUT / "target" / label
    where = ["--project-dir", str(project), "--profiles-dir", str(project),
             "--target-path", str(target), "--log-path", str(OUT / "logs")]  # fmt: skip
    # as the scheduled job runs: from the parse state of an earlier run (keep_partial_parse)
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([dbt, "parse", "--quiet", *where], env=env, check=True)
    command = [dbt, *DBT_BUILD_ARGS, *where, *flags]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        print(output[-6000:])
        raise SystemExit(f"{label}: dbt build failed with exit code {process.returncode}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    done = [line for line in output.splitlines() if "Done. PASS=" in line]
    result = Measured(
        label,
        seconds,
        cpu,
        peak,
        done[-1].split("  ", 1)[-1].strip() if done else "",
        where_time_goes(OUT / "target" / label / "run_results.json"),
    )
    print(result.line(), flush=True)
    return result


def one_day_of_changes(warehouse: Path, share: float = 0.002) -> int:
    """A day's worth of changes: a newer snapshot of `share` of every raw table's objects
    (as a day of list loads and events brings), written beside the old rows."""
    every = round(1 / share)
    changed = 0
    with duckdb.connect(str(warehouse)) as conn:
        for table in raw_tables():
            conn.execute(f"""
                insert into raw_stripe.{table}
                select * replace (now() as extracted_at)
                from raw_stripe.{table}
                where hash(id) % {every} = 0
                qualify row_number() over (partition by id order by extracted_at desc) = 1
            """)  # fmt: skip
            changed += (
                conn.execute(
                    "select count(*) from raw_stripe." + table + f" where hash(id) % {every} = 0"
                ).fetchone()[0]
                // 2
            )
    return changed


def without_typed_columns(warehouse: Path) -> None:
    """The raw layer as the previous approach had it: payloads only (its staging parses them)."""
    with duckdb.connect(str(warehouse)) as conn:
        for table in raw_tables():
            columns = {c[0] for c in conn.execute(f"describe raw_stripe.{table}").fetchall()}
            if "obj" in columns:
                conn.execute(f"alter table raw_stripe.{table} drop column obj")


def baseline_project(ref: str) -> Path:
    """The dbt project as it was at `ref`, checked out beside (a git worktree)."""
    tree = Path(tempfile.gettempdir()) / f"stripe-warehouse-baseline-{ref}"
    if not tree.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref],
                       check=True, capture_output=True)  # fmt: skip
    return tree / "dbt_project"


def copy_warehouse(source: Path, name: str) -> Path:
    target = OUT / "runs" / name / "warehouse.duckdb"
    shutil.rmtree(target.parent, ignore_errors=True)
    target.parent.mkdir(parents=True)
    shutil.copyfile(source, target)
    return target


def write_results(preset: str, counts: dict, runs: list[Measured], command: str, load: tuple):
    """Replaces the Transform section of bench/RESULTS.md with this run's figures."""
    full, daily, baseline = runs
    lines = [
        f"## Transform ({dt.date.today().isoformat()}, preset `{preset}`)",
        "",
        f"`{command}` on a 2-core shared machine, load average {load[0]:.1f} → {load[1]:.1f} "
        "(start → end). One run, three builds on copies of the same warehouse:",
        "",
        "| build | wall | CPU-seconds | peak memory | dbt |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {r.label} | {r.seconds:.1f} s | {r.cpu:.1f} | {r.peak / 2**30:.2f} GiB | {r.done} |"
            for r in runs
        ),
        "",
        f"Full build against the previous approach: {full.cpu / baseline.cpu:.2f}× its "
        f"CPU-seconds, {full.peak / baseline.peak:.2f}× its peak memory (targets: ≤ 30 CPU-s, "
        f"≤ 2 GB). Daily refresh: {daily.cpu / full.cpu:.1%} of the full build's CPU-seconds "
        "(target ≤ 10%).",
        "",
        "Raw rows (distinct ids): " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ".",
        "",
        "Where the time goes (dbt's node-seconds from each build's `run_results.json`; "
        "threads overlap, so they add up to more than the wall time):",
        "",
        *(f"- {r.label}: {r.breakdown.removeprefix('node-seconds: ')}" for r in runs),
        "",
        f"Each build is `dbt {' '.join(DBT_BUILD_ARGS)}` as the scheduled job runs it: models and "
        "data tests (dbt's unit tests run in CI), from the parse state of an earlier run "
        "(`dbt parse` first, unmeasured: the job keeps each run's for the next).",
        "",
    ]
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text()
    kept = re.split(r"(?m)^## Transform.*$", text)[0].rstrip() + "\n\n"
    tail = re.search(r"(?ms)^## (?!Transform).*", text[len(kept.rstrip()) :])
    path.write_text(kept + "\n".join(lines) + ("\n" + tail.group(0) if tail else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="default")
    parser.add_argument("--reuse", action="store_true", help="reuse the extracted raw layer")
    parser.add_argument("--sandbox-dir", type=Path, default=Path("data/sandbox"))
    parser.add_argument("--account", type=Path, help="an existing account file (any version)")
    parser.add_argument("--scale", type=int, default=1, help="copies of the account (see above)")
    parser.add_argument(
        "--baseline",
        default=BASELINE_REF,
        help="git ref of the previous approach (JSON staging, full builds)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the previous approach")
    parser.add_argument("--no-results", action="store_true", help="leave RESULTS.md as it is")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
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
    print(f"raw rows: {counts}; machine load {load_start:.1f}")
    new = copy_warehouse(warehouse, "new")
    full = measured_dbt("full build", new, PROJECT, "--full-refresh")
    changed = one_day_of_changes(new)
    daily = measured_dbt(f"daily refresh ({changed:,} changed objects)", new, PROJECT)
    print(f"daily / full: {daily.cpu / full.cpu:.1%} CPU")
    if args.no_baseline:
        return 0
    old = copy_warehouse(warehouse, "baseline")
    without_typed_columns(old)
    baseline = measured_dbt(f"previous approach ({args.baseline}): full build", old,
                            baseline_project(args.baseline), "--full-refresh")  # fmt: skip
    shutil.rmtree(OUT / "runs", ignore_errors=True)
    shown = " ".join(["bench/transform.py", *sys.argv[1:]])
    print(f"full / previous: {full.cpu / baseline.cpu:.2f}× CPU, {full.peak / baseline.peak:.2f}× "
          f"memory; daily / full: {daily.cpu / full.cpu:.1%} CPU")  # fmt: skip
    name = args.preset + (f" ×{args.scale} (copies with suffixed ids)" if args.scale > 1 else "")
    name += f", account file {args.account.name}" if args.account else ""
    if args.no_results:
        return 0
    write_results(name, counts, [full, daily, baseline], f".venv/bin/python {shown}",
                  (load_start, os.getloadavg()[0]))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
