"""`SandboxServer`: the sandbox served from a subprocess, for tests, benches and runs.

with SandboxServer.for_preset("small") as sandbox:
    client = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})

`key="sk_test_…"` makes the server accept that key only (401 for any other).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from stripe_sandbox.generator import ensure_account
from stripe_sandbox.realism import RealismConfig

API_KEY = "sk_test_sandbox"
DEFAULT_DATA_DIR = Path("data/sandbox")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SandboxServer:
    """Runs `python -m stripe_sandbox serve` on 127.0.0.1 until the `with` block ends."""

    def __init__(
        self,
        account_path: Path,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        startup_timeout: float = 30.0,
        key: str | None = None,
        **realism: float,
    ) -> None:
        self.account_path = Path(account_path)
        self.key = key  # the only key accepted; None: any test key
        self.api_key = key or API_KEY
        self.realism = RealismConfig(**realism)
        self.host, self.port = host, port or free_port(host)
        self.base_url = f"http://{host}:{self.port}"
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None

    @classmethod
    def for_preset(
        cls, preset: str = "small", seed: int | None = None, data_dir: Path = DEFAULT_DATA_DIR,
        **kwargs,
    ) -> SandboxServer:  # fmt: skip
        """A server for a preset's account, generated first if it is not cached."""
        return cls(ensure_account(preset, seed=seed, data_dir=data_dir), **kwargs)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "stripe_sandbox", "serve",
                "--account", str(self.account_path), "--host", self.host,
                "--port", str(self.port), *self.realism.cli_args(),
                *(["--key", self.key] if self.key else [])]  # fmt: skip

    def start(self) -> SandboxServer:
        import httpx  # here, not at the top: `serve` imports this module and needs no client

        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sandbox server exited with code {self.process.returncode}")
            try:
                httpx.get(f"{self.base_url}/healthz", timeout=1.0)
                return self
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"sandbox server did not answer on {self.base_url}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
