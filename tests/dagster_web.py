"""A real `dagster dev` over workspace.yaml for tests, and its webserver's GraphQL API."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from stripe_sandbox.running import free_port

REPO = Path(__file__).resolve().parents[1]
ASSETS = """{ assetNodes { assetKey { path } groupName isPartitioned } }"""
LAUNCH_BACKFILL = """mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message } } }"""
BACKFILL = """query($id: String!) { partitionBackfillOrError(backfillId: $id)
  { __typename ... on PartitionBackfill { status } } }"""
BACKFILL_DONE = {"COMPLETED", "COMPLETED_SUCCESS", "FAILED", "COMPLETED_FAILED", "CANCELED"}


@contextmanager
def dagster_dev(workdir: Path, env: dict[str, str]) -> Iterator[str]:
    """`dagster dev` started in `workdir` (its log there) with `env`; its URL once it serves."""
    port = free_port()
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(REPO / "workspace.yaml"),
               "-h", "127.0.0.1", "-p", str(port)]  # fmt: skip
    log = open(workdir / "dagster_dev.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_graphql(url, process, workdir)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a loaded machine: its children may be slow to stop
            process.kill()
            process.wait(timeout=30)
        log.close()


def _wait_for_graphql(url: str, process: subprocess.Popen, workdir: Path) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, (workdir / "dagster_dev.log").read_text()[-3000:]
        try:
            nodes = graphql(url, ASSETS)["assetNodes"]
            if nodes:
                return
        except (httpx.HTTPError, KeyError, TypeError):
            pass
        time.sleep(2)
    raise TimeoutError("dagster dev did not serve the asset graph")


def graphql(url: str, query: str, variables: dict | None = None) -> dict:
    answer = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables or {}},
                        timeout=60)  # fmt: skip
    answer.raise_for_status()
    return answer.json()["data"]


def wait_for_status(url: str, query: str, variables: dict, status, done: set, seconds: float):
    """The status `status(answer)` reads from `query`, once in `done` or after `seconds`."""
    deadline, state = time.monotonic() + seconds, None
    while time.monotonic() < deadline and state not in done:
        time.sleep(3)
        state = status(graphql(url, query, variables))
    return state
