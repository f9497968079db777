"""Sandbox benchmark: generate a preset, then serve pages of 100 charges as fast as it goes.

    .venv/bin/python bench/sandbox.py --preset large [--reuse] [--seconds 20] [--connections 8]

Generation runs in its own process (`python -m stripe_sandbox generate`), so
its wall time and peak RSS are the generator's alone. Serving runs the real
server (`SandboxServer`: uvicorn, one worker, httptools + uvloop) in another
process; this process is the client: `--connections` concurrent httpx
connections walking `limit=100` pages of charges by `starting_after` cursor,
each walk inside a random `created` window. Reported: pages/s and objects/s.
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
import time
from pathlib import Path

import orjson
import psutil

from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader

PAGES_PER_WALK = 20


def generate(preset: str, data_dir: Path, reuse: bool) -> tuple[Path, float, float]:
    """Generate the preset in a child process: (account file, seconds, peak RSS in MB).

    The path is the one the child printed: asking the generator again here could
    name another file if its code (and so the fingerprint) changed meanwhile.
    """
    if not reuse:
        shutil.rmtree(data_dir, ignore_errors=True)
    command = [sys.executable, "-m", "stripe_sandbox", "generate", "--preset", preset,
               "--data-dir", str(data_dir)]  # fmt: skip
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"generation failed: {shlex.join(command)}")
    print(output, end="")
    return Path(output.split()[0]), time.perf_counter() - started, usage.ru_maxrss / 1024


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
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--account", help="serve this account file, skip generation")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    print("command:", shlex.join([sys.executable.replace(os.getcwd() + "/", ""), *sys.argv]))
    if args.account:
        path = Path(args.account)
        print(f"generate: skipped, serving {path}")
    else:
        path, seconds, peak_mb = generate(args.preset, data_dir, args.reuse)
        print(f"generate --preset {args.preset}: {seconds:.1f} s, peak RSS {peak_mb:.0f} MB, "
              f"file {path.stat().st_size / 2**20:,.0f} MB")  # fmt: skip
    benchmark_serving(path, args.seconds, args.connections)


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
