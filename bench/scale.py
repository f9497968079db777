"""Writers in parallel: the DuckDB file (pool of 1) against DuckLake (pool of N).

The same workload on each: every raw object of the sandbox account (Stripe's test-mode
limits on) split over N concurrent Dagster runs (`dagster asset materialize`, each a group
of objects over every month), then event processing (`dagster job execute -j
process_events`) and the dbt build (`dagster asset materialize --select kind:dbt`). The
file runs N=4 extraction runs against its pool of 1; the lake N = 1, 2, 4 with a pool of N.
Reported: wall seconds of the extraction and of the whole, CPU-seconds of every child
process, the peak memory of the runs at once (each run's RSS with its children's, summed,
sampled every 0.2 s), the share of the extraction runs' time spent queued for a `warehouse`
slot (from each run's RUN_START to its first STEP_START, in the instance's event log), and
the raw row count (equal on every configuration).

    .venv/bin/python bench/scale.py [--preset default] [--write-results]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from postgres_server import PostgresServer, postgres_bin  # noqa: E402

from pipeline.catalog import raw_tables  # noqa: E402
from pipeline.months import month_of  # noqa: E402
from pipeline.raw.backend import attach_lake, warehouse_backend  # noqa: E402
from stripe_sandbox.presets import PRESETS  # noqa: E402
from stripe_sandbox.running import SandboxServer  # noqa: E402
from stripe_sandbox.starter import preset_first_month  # noqa: E402
from stripe_sandbox.store import open_reader, read_meta  # noqa: E402

CONFIGS = [("file", 4), ("lake", 1), ("lake", 2), ("lake", 4)]
TEST_MODE = {"rate_limit": 25.0, "endpoint_rate_limit": 25.0}
SECTION = "## Scaling out (bench/scale.py)"


@dataclass
class Figures:
    name: str
    extract_s: float
    total_s: float
    cpu_s: float
    peak_mb: float
    queued_share: float
    raw_rows: int


def dagster(*args: str) -> list[str]:
    return [sys.executable, "-m", "dagster", *args, "-m", "pipeline.defs.definitions"]


def groups(n: int) -> list[list[str]]:
    """The raw tables dealt round-robin into `n` groups."""
    tables = list(raw_tables())
    return [tables[i::n] for i in range(n)]


class RunsMemory(threading.Thread):
    """The peak RSS of the runs at once: each launched run with its descendants (dbt),
    summed; the sandbox and PostgreSQL are not counted."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak, self.runs, self.stopping = 0, [], threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.2):
            total = 0
            for pid in list(self.runs):
                try:
                    run = psutil.Process(pid)
                    for process in [run, *run.children(recursive=True)]:
                        total += process.memory_info().rss
                except psutil.Error:
                    continue  # ended between listing and reading
            self.peak = max(self.peak, total)


def run_all(
    commands: list[list[str]], workdir: Path, env: dict[str, str], memory: RunsMemory
) -> None:
    stamp = time.monotonic_ns()
    logs = [open(workdir / f"run-{stamp}-{i}.log", "w") for i in range(len(commands))]  # noqa: SIM115
    processes = [subprocess.Popen(c, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
                 for c, log in zip(commands, logs, strict=True)]  # fmt: skip
    memory.runs[:] = [p.pid for p in processes]
    codes = [p.wait() for p in processes]
    for log in logs:
        log.close()
    if any(codes):
        raise SystemExit(f"a run failed ({codes}): see {workdir}/run-*.log")


def queued_share(home: Path) -> float:
    """Of the extraction runs' time, the share before their first step started."""
    waited = total = 0.0
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for run in instance.get_runs():
            if not run.job_name.startswith("__ASSET_JOB"):
                continue
            stamps = {}
            for entry in instance.all_logs(run.run_id):
                kind = entry.dagster_event.event_type_value if entry.dagster_event else None
                if kind in ("PIPELINE_START", "STEP_START", "PIPELINE_SUCCESS"):
                    stamps.setdefault(kind, entry.timestamp)
            if len(stamps) == 3 and "kind:dbt" not in str(run.tags):
                waited += stamps["STEP_START"] - stamps["PIPELINE_START"]
                total += stamps["PIPELINE_SUCCESS"] - stamps["PIPELINE_START"]
    return waited / total if total else 0.0


def raw_rows(env: dict[str, str], workdir: Path) -> int:
    if env.get("WAREHOUSE") == "ducklake":
        con = duckdb.connect()
        attach_lake(con, warehouse_backend(env), read_only=True)
    else:
        con = duckdb.connect(str(workdir / "data" / "warehouse.duckdb"), read_only=True)
    with con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = "
            "'raw_stripe' and table_catalog = current_database()").fetchall()]  # fmt: skip
        return sum(con.execute(f"select count(*) from raw_stripe.{t}").fetchone()[0]
                   for t in names if t != "balance_snapshots")  # fmt: skip


def run_config(kind: str, n: int, sandbox: SandboxServer, pg: PostgresServer,
               months: tuple[str, str], root: Path) -> Figures:  # fmt: skip
    name = f"{kind} N={n}"
    workdir = root / f"{kind}{n}"
    home = workdir / "dagster_home"
    home.mkdir(parents=True)
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    drop = ("STRIPE_", "DAGSTER_HOME", "WAREHOUSE", "DUCKLAKE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env |= {"DAGSTER_HOME": str(home), "STRIPE_API_KEY": sandbox.api_key,
            "STRIPE_API_BASE": sandbox.base_url, "STRIPE_START_MONTH": months[0]}  # fmt: skip
    if kind == "lake":
        env |= {"WAREHOUSE": "ducklake", "WAREHOUSE_WRITERS": str(n),
                "DUCKLAKE_CATALOG": pg.new_database(f"lake{n}"),
                "DUCKLAKE_DATA_PATH": str(workdir / "lake")}  # fmt: skip
    subprocess.run([sys.executable, "-m", "pipeline.cli.pools"], env=env, check=True,
                   cwd=workdir, capture_output=True)  # fmt: skip
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    memory = RunsMemory()
    memory.start()
    start = time.monotonic()
    run_all([dagster("asset", "materialize", "--select", ",".join(f"stripe/{t}" for t in g),
                     "--partition-range", f"{months[0]}...{months[1]}") for g in groups(n)],
            workdir, env, memory)  # fmt: skip
    extracted = time.monotonic() - start
    run_all([dagster("job", "execute", "-j", "process_events")], workdir, env, memory)
    run_all([dagster("asset", "materialize", "--select", "kind:dbt")], workdir, env, memory)
    total = time.monotonic() - start
    memory.stopping.set()
    memory.join()
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return Figures(name, extracted, total, cpu, memory.peak / 2**20, queued_share(home),
                   raw_rows(env, workdir))  # fmt: skip


def table(figures: list[Figures]) -> str:
    lines = [
        "| configuration | extraction s | whole s | CPU-s (children) | peak MB (all runs) "
        "| share of extraction time queued | raw rows |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in figures:
        lines.append(f"| {f.name} | {f.extract_s:.1f} | {f.total_s:.1f} | {f.cpu_s:.1f} | "
                     f"{f.peak_mb:,.0f} | {f.queued_share:.0%} | {f.raw_rows:,} |")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="default", choices=sorted(PRESETS))
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    command = " ".join([".venv/bin/python", "bench/scale.py", *sys.argv[1:]])
    began, load_before = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.getloadavg()[0]
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    figures = []
    with (
        PostgresServer(postgres_bin()) as pg,
        SandboxServer.for_preset(args.preset, data_dir=root / "sandbox", **TEST_MODE) as sandbox,
    ):
        clock = int(read_meta(open_reader(sandbox.account_path))["clock"])
        first, last = preset_first_month(args.preset), month_of(clock)  # the whole account
        for kind, n in CONFIGS:
            figures.append(run_config(kind, n, sandbox, pg, (first, last), root))
            print(figures[-1], flush=True)
    shutil.rmtree(root, ignore_errors=True)
    equal = len({f.raw_rows for f in figures}) == 1
    report = (f"{SECTION}\n\nCommand: `{command}` ({began}; load average {load_before:.2f} "
              f"before, {os.getloadavg()[0]:.2f} after; 2 cores). Preset `{args.preset}`, months "
              f"{first}..{last}, Stripe's test-mode limits on the sandbox (25 requests/s for "
              f"the account, shared by the runs as Stripe's is: each run's limiter backs off on "
              f"the 429s the others cause).\n\n{table(figures)}\n\n"
              f"Raw rows equal on every configuration: {'yes' if equal else 'NO'}.\n")  # fmt: skip
    print(report)
    if args.write_results:
        results = REPO / "bench" / "RESULTS.md"
        text = results.read_text()
        if SECTION in text:
            head, _, rest = text.partition(SECTION)
            tail = rest[rest.find("\n## ") :] if "\n## " in rest else ""
            text = head + report + tail
        else:
            text = text.rstrip() + "\n\n" + report
        results.write_text(text)
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
