"""Benchmark: the fast extractor against the sandbox with Stripe's latency and rate limits.

Runs the sandbox with ~300 ms per answer and Stripe's limits switched on, then
  1. test-mode limits (25 requests/s overall and per endpoint): every month of charges;
  2. live-mode limits (100/s overall, 25/s per endpoint): charges, balance
     transactions and events at once (the account's three large lists);
  3. the sequential way: one stripe-SDK `auto_paging_iter()` per object type,
     time-capped and extrapolated to the same objects.
Prints objects/s, requests/s, the share of the rate-limit bound reached
(allowed requests/s × 100 objects per page), peak memory, the speed-up over the
sequential way, and appends a section to bench/RESULTS.md.

    .venv/bin/python bench/extract.py [--latency-ms 300] [--sequential-seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import stripe

from pipeline.catalog import BY_NAME
from pipeline.extract import ParquetSinks, StripeHttp, StripeSession, extract_month
from pipeline.months import month_of, months_between
from stripe_sandbox.generator import generate
from stripe_sandbox.presets import AccountConfig
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta

ACCOUNT = AccountConfig(customers=3000, months=3, charges_per_month=15000, name="bench-extract")
OUT = Path("bench/out/extract")
SERVICES = {"invoiceitems": "invoice_items"}


@dataclass
class Run:
    name: str
    objects: int
    requests: int
    pages: int
    rate_limited: int
    retries: int
    seconds: float
    peak_rss_mb: float
    allowed_rps: float
    client_cpu_s: float
    server_cpu_s: float
    objects_by_endpoint: dict[str, int]
    endpoint_rps: float = 25.0

    @property
    def objects_per_s(self) -> float:
        return self.objects / self.seconds

    @property
    def bound_seconds(self) -> float:
        """The least time the limits allow for these objects at 100 a page: no endpoint
        faster than its own limit, all of them together no faster than the overall one."""
        pages = {name: math.ceil(n / 100) for name, n in self.objects_by_endpoint.items()}
        slowest_endpoint = max(p / self.endpoint_rps for p in pages.values())
        return max(slowest_endpoint, sum(pages.values()) / self.allowed_rps)

    @property
    def bound_share(self) -> float:
        return self.bound_seconds / self.seconds


class PeakRss:
    """Samples this process's resident memory every 50 ms while a run goes."""

    def __enter__(self) -> PeakRss:
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        process = psutil.Process()
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, process.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def bench_account() -> tuple[Path, list[str]]:
    path = Path("data/sandbox") / f"bench-extract-{ACCOUNT.fingerprint()}.sqlite"
    if not path.exists():
        print(f"generating the bench account {path} (once, about a minute) ...", flush=True)
        generate(ACCOUNT, path)
    db = open_reader(path)
    first = db.execute("select min(created) from objects where resource = 'charges'").fetchone()
    clock = int(read_meta(db)["clock"])
    return path, months_between(month_of(first[0]), month_of(clock))


async def _extract(config: StripeHttp, names: list[str], months: list[str], out: Path):
    sinks = ParquetSinks(out)
    async with StripeSession(config) as session:
        jobs = [extract_month(session, BY_NAME[n], m, sinks) for n, m in jobs_of(names, months)]
        stats = await asyncio.gather(*jobs)
    sinks.close()
    return stats


def run_fast(name: str, account: Path, names, months, latency: float, overall: float) -> Run:
    limits = {"rate_limit": overall, "endpoint_rate_limit": 25.0}
    with SandboxServer(account, latency_ms=latency, **limits) as server:
        config = StripeHttp(
            server.api_key,
            api_base=server.base_url,
            requests_per_second=overall,
            endpoint_requests_per_second=25.0,
        )
        out = OUT / name
        shutil.rmtree(out, ignore_errors=True)
        processes = [psutil.Process(), psutil.Process(server.process.pid)]
        cpu_before = [cpu_seconds(p) for p in processes]
        with PeakRss() as rss:
            started = time.perf_counter()
            stats = asyncio.run(_extract(config, names, months, out))
            seconds = time.perf_counter() - started
        cpu = [cpu_seconds(p) - before for p, before in zip(processes, cpu_before, strict=True)]
    total = {k: sum(getattr(s, k) for s in stats)
             for k in ("objects", "requests", "pages", "rate_limited", "retries")}  # fmt: skip
    by_endpoint = {n: sum(s.objects for s, (name, _) in zip(stats, jobs_of(names, months),
                                                             strict=True) if name == n)
                   for n in names}  # fmt: skip
    return Run(name, **total, seconds=seconds, peak_rss_mb=rss.peak / 2**20,
               allowed_rps=overall, client_cpu_s=cpu[0], server_cpu_s=cpu[1],
               objects_by_endpoint=by_endpoint)  # fmt: skip


def jobs_of(names: list[str], months: list[str]) -> list[tuple[str, str]]:
    """(object, month) in the order `_extract` runs them."""
    return [(n, m) for n in names for m in months]


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def run_sequential(account: Path, names, latency: float, cap: float) -> tuple[int, float]:
    """Objects read and seconds spent by the SDK's auto-paging, one type after another."""
    limits = {"rate_limit": 25.0, "endpoint_rate_limit": 25.0}
    with SandboxServer(account, latency_ms=latency, **limits) as server:
        client = stripe.StripeClient(server.api_key, base_addresses={"api": server.base_url},
                                     max_network_retries=5)  # fmt: skip
        count, started = 0, time.perf_counter()
        for name in names:
            service = getattr(client.v1, SERVICES.get(name, name))
            for _ in service.list({"limit": 100}).auto_paging_iter():
                count += 1
                if time.perf_counter() - started > cap:
                    return count, time.perf_counter() - started
        return count, time.perf_counter() - started


def report(runs: list[Run], seq: tuple[int, float], months: list[str], args) -> str:
    seq_rate = seq[0] / seq[1]
    lines = [
        "## Fast extraction (bench/extract.py)",
        "",
        f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`",
        f"Account: custom config {ACCOUNT} ({ACCOUNT.fingerprint()}),"
        f" months {months[0]}..{months[-1]};"
        " the `large` preset takes too long to generate here, so a smaller account with"
        " the same shapes is used.",
        f"Sandbox: {args.latency_ms:.0f} ms latency per answer, Stripe's limits on (429 with"
        f" `Stripe-Should-Retry: true`). Machine: {psutil.cpu_count()} cores shared with"
        f" the sandbox server and other jobs, load average {psutil.getloadavg()[0]:.1f},"
        f" this process's niceness {psutil.Process().nice()}.",
        "",
        "| run | objects | requests | 429s | retries | seconds | objects/s | requests/s "
        "| allowed req/s | bound s | share of bound | peak RSS MB | vs sequential "
        "| client CPU s | server CPU s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(
            f"| {r.name} | {r.objects} | {r.requests} | {r.rate_limited} | {r.retries} "
            f"| {r.seconds:.1f} | {r.objects_per_s:.0f} | {r.requests / r.seconds:.1f} "
            f"| {r.allowed_rps:.0f} | {r.bound_seconds:.1f} | {r.bound_share:.0%} "
            f"| {r.peak_rss_mb:.0f} "
            f"| {r.objects_per_s / seq_rate:.1f}x | {r.client_cpu_s:.1f} | {r.server_cpu_s:.1f} |"
        )
    lines += [
        "",
        f"Sequential way (stripe SDK `client.v1.charges.list().auto_paging_iter()`, test-mode"
        f" limits, same latency): {seq[0]} objects in {seq[1]:.1f} s = {seq_rate:.0f} objects/s,"
        f" time-capped at {args.sequential_seconds:.0f} s and extrapolated: the test-mode run's"
        f" {runs[0].objects} objects would take {runs[0].objects / seq_rate:.0f} s that way.",
        "Bound = the least time the limits allow for the run's objects at 100 a page: each"
        " endpoint at most 25 requests/s, all together at most the overall limit (25/s test,"
        " 100/s live); share of bound = bound seconds / seconds taken. Objects per endpoint"
        " in the live run: "
        + ", ".join(f"{k} {v}" for k, v in runs[-1].objects_by_endpoint.items())
        + " (events reach back 30 days only, so they run out early and the bound follows the"
        " slowest endpoint). Every window ends on a partial page, so requests exceed"
        " objects/100.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=300.0)
    parser.add_argument("--sequential-seconds", type=float, default=30.0)
    parser.add_argument("--no-results", action="store_true", help="do not append RESULTS.md")
    args = parser.parse_args()
    account, months = bench_account()
    runs = [
        run_fast("test mode, charges", account, ["charges"], months, args.latency_ms, 25.0),
        run_fast("live mode, 3 endpoints", account,
                 ["charges", "balance_transactions", "events"], months, args.latency_ms, 100.0),
    ]  # fmt: skip
    seq = run_sequential(account, ["charges"], args.latency_ms, args.sequential_seconds)
    text = report(runs, seq, months, args)
    print(text)
    if not args.no_results:
        with open("bench/RESULTS.md", "a") as results:
            results.write("\n" + text)


if __name__ == "__main__":
    main()
