"""The Dagster UI as its users run it: `dagster dev` over workspace.yaml.

Reads the asset graph through the webserver's GraphQL API, launches a backfill
of two months and waits for it, then renders the asset graph page in headless
Chromium and saves a screenshot under data/reports/.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from pipeline.catalog import raw_tables
from stripe_sandbox.running import free_port

REPO = Path(__file__).resolve().parents[2]
ASSETS = """{ assetNodes { assetKey { path } groupName isPartitioned } }"""
LAUNCH = """mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message } } }"""
STATUS = """query($id: String!) { partitionBackfillOrError(backfillId: $id)
  { __typename ... on PartitionBackfill { status } } }"""
DONE = {"COMPLETED", "COMPLETED_SUCCESS", "FAILED", "COMPLETED_FAILED", "CANCELED"}


@pytest.fixture(scope="module")
def dagster_ui(sandbox, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("ui")
    home = workdir / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "STRIPE_API_KEY": sandbox.api_key,
           "STRIPE_API_BASE": sandbox.base_url, "STRIPE_START_MONTH": "2026-06"}  # fmt: skip
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(REPO / "workspace.yaml"),
               "-h", "127.0.0.1", "-p", str(port)]  # fmt: skip
    log = open(workdir / "dagster_dev.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_graphql(url, process, workdir)
        yield url, workdir
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
            nodes = _graphql(url, ASSETS)["assetNodes"]
            if nodes:
                return
        except (httpx.HTTPError, KeyError, TypeError):
            pass
        time.sleep(2)
    raise TimeoutError("dagster dev did not serve the asset graph")


def _graphql(url: str, query: str, variables: dict | None = None) -> dict:
    answer = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables or {}},
                        timeout=60)  # fmt: skip
    answer.raise_for_status()
    return answer.json()["data"]


def test_asset_graph_shows_the_flow_and_a_two_month_backfill_succeeds(dagster_ui):
    url, workdir = dagster_ui
    nodes = {"/".join(n["assetKey"]["path"]): n for n in _graphql(url, ASSETS)["assetNodes"]}
    assert (
        nodes["stripe/charges"]["groupName"] == "raw" and nodes["stripe/charges"]["isPartitioned"]
    )
    assert {"raw", "events", "staging", "marts", "serving"} <= {
        n["groupName"] for n in nodes.values()
    }

    params = {"partitionNames": ["2026-08", "2026-09"],
              "assetSelection": [{"path": ["stripe", "charges"]}]}  # fmt: skip
    launched = _graphql(url, LAUNCH, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    deadline, status = time.monotonic() + 400, None
    while time.monotonic() < deadline and status not in DONE:
        time.sleep(3)
        backfill = _graphql(url, STATUS, {"id": launched["backfillId"]})
        status = backfill["partitionBackfillOrError"]["status"]
    assert status in {"COMPLETED", "COMPLETED_SUCCESS"}, status
    with duckdb.connect(str(workdir / "data" / "warehouse.duckdb"), read_only=True) as con:
        months = [
            m
            for (m,) in con.execute(
                "select distinct month from raw_stripe.charges order by 1"
            ).fetchall()
        ]
    assert months == ["2026-08", "2026-09"]


@pytest.mark.skipif(
    not shutil.which("chromium"), reason="Debian's chromium is installed by .ci/run"
)
def test_asset_graph_page_renders_in_headless_chromium(dagster_ui):
    url, workdir = dagster_ui
    reports = REPO / "data" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    screenshot = reports / "asset_graph.png"
    screenshot.unlink(missing_ok=True)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={workdir / 'chromium'}", "--window-size=1600,1000",
             "--virtual-time-budget=30000"]  # fmt: skip
    page = f"{url}/locations/stripe_warehouse/asset-groups/raw"
    dom = subprocess.run(["chromium", *flags, "--dump-dom", page], capture_output=True,
                         text=True, timeout=180).stdout  # fmt: skip
    subprocess.run(["chromium", *flags, f"--screenshot={screenshot}", page],
                   capture_output=True, timeout=180, check=True)  # fmt: skip
    # the graph draws only the nodes in view (36 raw tables do not fit): some raw
    # assets of the group, and the staging models they feed, must be drawn
    drawn = [table for table in raw_tables() if f"stg_stripe__{table}" in dom]
    assert len(drawn) >= 3 and all(table in dom for table in drawn), drawn
    assert screenshot.stat().st_size > 20_000
