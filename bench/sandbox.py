"""Sandbox benchmark: generate a preset (CPU, memory, disk), then serve pages of 100 charges.

    .venv/bin/python bench/sandbox.py --preset large [--baseline REF] [--seconds 20]

Generation runs in its own process (`python -m stripe_sandbox generate`), so
its figures are the generator's alone: wall seconds, CPU-seconds (user + sys
of the process and its children: the store writer runs in one), peak RSS
(the largest process, and the sum over the process tree sampled every
0.2 s), bytes on disk and per stored object, and the machine's load average
at the start and the end. `--baseline REF` generates the same preset first
with the code of commit REF (a git worktree in /tmp/sandbox-baseline), so
both approaches are measured in the same run on the same machine.
Serving runs the real server (`SandboxServer`: uvicorn, one worker,
httptools + uvloop) in another process; this process is the client:
`--connections` concurrent connections walking `limit=100` pages of charges
by `starting_after` cursor, each walk inside a random `created` window.
Reported: pages/s and objects/s (`--seconds 0` skips serving).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shlex
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import orjson
import psutil

from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader

PAGES_PER_WALK = 20
BASELINE_TREE = Path("/tmp/sandbox-baseline")


@dataclass
class Generation:
    label: str
    command: str
    path: Path
    wall: float
    cpu: float
    peak_mb: float  # the largest process (ru_maxrss)
    tree_peak_mb: float  # the process tree's total RSS, sampled
    file_bytes: int
    objects: int
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float]

    def line(self) -> str:
        load = "/".join(f"{x:.1f}" for x in self.load_start), "/".join(
            f"{x:.1f}" for x in self.load_end)  # fmt: skip
        return (f"{self.label}: {self.wall:.1f} s wall, {self.cpu:.1f} CPU-s, peak RSS "
                f"{self.peak_mb:.0f} MB (tree {self.tree_peak_mb:.0f} MB), "
                f"{self.file_bytes / 1e9:.2f} GB on disk, {self.objects:,} objects, "
                f"{self.file_bytes / max(self.objects, 1):,.0f} B/object; "
                f"load 1/5/15 min {load[0]} → {load[1]}")  # fmt: skip


def tree_rss(process: psutil.Process) -> int:
    try:
        family = [process, *process.children(recursive=True)]
        return sum(p.memory_info().rss for p in family)
    except psutil.Error:
        return 0


def generate(preset: str, data_dir: Path, reuse: bool, label: str = "new",
             code: Path | None = None) -> Generation:  # fmt: skip
    """Generate the preset in a child process and measure it.

    `code`: run that checkout's `stripe_sandbox` instead (the baseline). The
    path is the one the child printed: asking the generator again here could
    name another file if its code (and so the fingerprint) changed meanwhile.
    """
    data_dir = data_dir.resolve()
    if not reuse:
        shutil.rmtree(data_dir, ignore_errors=True)
    command = [sys.executable, "-m", "stripe_sandbox", "generate", "--preset", preset,
               "--data-dir", str(data_dir)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(code)} if code else None
    shown = ("cd " + shlex.quote(str(code)) + " && PYTHONPATH=. " if code else "") + shlex.join(
        [os.path.relpath(sys.executable) if not code else sys.executable, *command[1:]]
    )
    load_start = os.getloadavg()
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=code)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        watched = psutil.Process(child.pid)
        while not done.wait(0.2):
            peak[0] = max(peak[0], tree_rss(watched))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    load_end = os.getloadavg()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"generation failed: {shown}")
    print(output, end="")
    path = Path(output.split()[0])
    if not path.is_absolute():
        path = (code or Path.cwd()) / path
    with open_reader(path) as db:
        (objects,) = db.execute("select count(*) from objects").fetchone()
    return Generation(label, shown, path, wall, usage.ru_utime + usage.ru_stime,
                      usage.ru_maxrss / 1024, peak[0] / 2**20, path.stat().st_blocks * 512,
                      objects, load_start, load_end)  # fmt: skip


def baseline_tree(ref: str) -> Path:
    """A worktree of `ref` in /tmp/sandbox-baseline (made once, reused while at `ref`)."""
    commit = subprocess.check_output(["git", "rev-parse", ref], text=True).strip()
    if BASELINE_TREE.exists():
        head = subprocess.check_output(["git", "-C", str(BASELINE_TREE), "rev-parse", "HEAD"],
                                       text=True).strip()  # fmt: skip
        if head == commit:
            return BASELINE_TREE
        subprocess.run(["git", "worktree", "remove", "--force", str(BASELINE_TREE)], check=True)
    subprocess.run(["git", "worktree", "add", "--detach", str(BASELINE_TREE), commit], check=True)
    return BASELINE_TREE


class Connection:
    """A keep-alive HTTP/1.1 connection that sends GETs and reads whole bodies.

    Lean on purpose (no client library per request): on a two-core machine the
    client shares the CPU with the server, and httpx costs more per page than
    the server does, which would measure the client instead.
    """

    def __init__(self, host: str, port: int, api_key: str) -> None:
        self.host, self.port = host, port
        self.head = f"Host: {host}:{port}\r\nAuthorization: Bearer {api_key}\r\n\r\n".encode()

    async def open(self) -> Connection:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def get(self, target: str) -> bytes:
        self.writer.write(b"GET %s HTTP/1.1\r\n%s" % (target.encode(), self.head))
        head = await self.reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.decode(errors="replace"))
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        return await self.reader.readexactly(length)


ID_MARK = b'"id":"ch_'


def page_facts(body: bytes) -> tuple[int, str, bool]:
    """(objects, last id, has_more) of a page of charges without parsing it whole.

    A full `orjson.loads` costs the client more than the server spends on the
    page; a charge's own id is the only `"id":"ch_…"` in it (checked once on
    a parsed page in `serve_pages`).
    """
    start = body.rfind(ID_MARK) + 6
    last_id = body[start : body.index(b'"', start)].decode() if start > 5 else ""
    return body.count(ID_MARK), last_id, b'"has_more":true' in body[-200:]


async def walk(conn: Connection, low: int, high: int, deadline: float, rng, totals) -> None:
    while time.perf_counter() < deadline:
        start = rng.randrange(low, high)
        query = f"/v1/charges?limit=100&created[gte]={start}&created[lt]={start + 30 * 86400}"
        cursor = ""
        for _ in range(PAGES_PER_WALK):
            body = await conn.get(query + cursor)
            objects, last_id, has_more = page_facts(body)
            totals["pages"] += 1
            totals["objects"] += objects
            totals["bytes"] += len(body)
            if not has_more or time.perf_counter() >= deadline:
                break
            cursor = f"&starting_after={last_id}"


async def serve_pages(server: SandboxServer, low: int, high: int, seconds: float, conns: int):
    totals = {"pages": 0, "objects": 0, "bytes": 0}
    connections = [await Connection(server.host, server.port, server.api_key).open()
                   for _ in range(conns)]  # fmt: skip
    sample = await connections[0].get("/v1/charges?limit=100")  # warm up, check page_facts
    parsed = orjson.loads(sample)
    expected = (len(parsed["data"]), parsed["data"][-1]["id"], parsed["has_more"])
    assert page_facts(sample) == expected, (page_facts(sample), expected)
    started, cpu_started = time.perf_counter(), time.process_time()
    deadline = started + seconds
    await asyncio.gather(*(walk(conn, low, high, deadline, random.Random(i), totals)
                           for i, conn in enumerate(connections)))  # fmt: skip
    elapsed = time.perf_counter() - started
    totals["client_cpu"] = time.process_time() - cpu_started
    for conn in connections:
        conn.writer.close()
    return {**{key: value / elapsed for key, value in totals.items()}, "elapsed": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="large")
    parser.add_argument("--data-dir", default="data/bench/sandbox")
    parser.add_argument("--reuse", action="store_true", help="keep a cached account file")
    parser.add_argument("--seconds", type=float, default=20.0, help="serving time; 0 skips")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--account", help="serve this account file, skip generation")
    parser.add_argument("--baseline", metavar="REF", help="also generate with commit REF's code")
    parser.add_argument("--delete", action="store_true", help="delete generated files at the end")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    print("command:", shlex.join([os.path.relpath(sys.executable), *sys.argv]))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}")
    runs: list[Generation] = []
    if args.account:
        path = Path(args.account)
        print(f"generate: skipped, serving {path}")
    else:
        if args.baseline:
            tree = baseline_tree(args.baseline)
            old_dir = data_dir.with_name(data_dir.name + "-baseline")
            runs.append(generate(args.preset, old_dir, args.reuse, f"baseline {args.baseline}",
                                 tree))  # fmt: skip
            print(runs[-1].line(), flush=True)
        runs.append(generate(args.preset, data_dir, args.reuse))
        print(runs[-1].line(), flush=True)
        path = runs[-1].path
    if args.seconds > 0:
        benchmark_serving(path, args.seconds, args.connections)
    print(f"generate --preset {args.preset}:")
    for run in runs:
        print(f"  {run.command}\n    {run.line()}")
    if len(runs) == 2:
        old, new = runs
        print(f"  new / baseline: wall {new.wall / old.wall:.2f}, CPU {new.cpu / old.cpu:.2f}, "
              f"disk {new.file_bytes / old.file_bytes:.2f}")  # fmt: skip
    if args.delete:
        for run in runs:
            run.path.unlink(missing_ok=True)


def benchmark_serving(path: Path, seconds: float, connections: int) -> None:
    with open_reader(path) as db:
        charges, low, high = db.execute("select count(*), min(created), max(created) from"
                                        " objects where account = '' and resource = 'charges'"
                                        ).fetchone()  # fmt: skip
    print(f"serving {charges:,} platform charges")
    with SandboxServer(path) as server:
        server_cpu = psutil.Process(server.process.pid)
        cpu_before = sum(server_cpu.cpu_times()[:2])
        rates = asyncio.run(serve_pages(server, low, high, seconds, connections))
        cpu_share = (sum(server_cpu.cpu_times()[:2]) - cpu_before) / rates["elapsed"]
    print(f"serve: {rates['pages']:.0f} pages/s of limit=100 charges, "
          f"{rates['objects']:,.0f} objects/s, {rates['bytes'] / 2**20:.0f} MB/s "
          f"({connections} connections, {seconds:.0f} s, one server worker)")  # fmt: skip
    print(f"client CPU: {rates['client_cpu']:.0%} of one core busy")
    print(f"server CPU: {cpu_share:.0%} of one core busy, so "
          f"{rates['pages'] / cpu_share:.0f} pages per server-core-second")  # fmt: skip


if __name__ == "__main__":
    main()
