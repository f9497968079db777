"""Run the receiver as its own process, for tests and `make run`.

    with ReceiverProcess(data_dir, secrets=("whsec_…",)) as receiver:
        httpx.post(receiver.url, ...)

The child is `python -m pipeline.events.webhooks serve` on a free 127.0.0.1 port, with
the secrets passed through its environment only. `kill()` sends SIGKILL (a
crash); `restart()` starts a fresh process on the same data folder.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from pipeline.events.webhooks.app import PATH
from pipeline.settings import WEBHOOK_SECRET_ENV


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ReceiverProcess:
    """A receiver subprocess bound to 127.0.0.1; ready when `__enter__` returns."""

    def __init__(
        self,
        data_dir: Path,
        secrets: tuple[str, ...],
        port: int | None = None,
        options: tuple[str, ...] = (),
    ):
        """`options` are more `serve` flags (`("--body-timeout", "2")`)."""
        self.data_dir = Path(data_dir)
        self.secrets = secrets
        self.port = port or free_port()
        self.options = tuple(options)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, WEBHOOK_SECRET_ENV: ",".join(self.secrets)}
        command = [
            sys.executable,
            "-m",
            "pipeline.events.webhooks",
            "serve",
            "--port",
            str(self.port),
        ]
        command += ["--data-dir", str(self.data_dir), *self.options]
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError("webhook receiver exited during start-up")
            try:
                httpx.get(self.url, timeout=1.0)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise TimeoutError(f"webhook receiver not ready on port {self.port}")

    def kill(self) -> None:
        """SIGKILL, as a crash would: no shutdown hooks run."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> ReceiverProcess:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
