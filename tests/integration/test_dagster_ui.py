"""The Dagster UI as its users run it: `dagster dev` over workspace.yaml.

Through the webserver's GraphQL API: the asset graph; a backfill of two months of
charges, each partition carrying its own month's row count; the `refresh_warehouse`
job launched for those months as from the Launchpad, after which a mart lists its
columns with types and its reconciliation tests among its asset checks. In headless
Chromium driven over the DevTools protocol: the first visit's "Join the Dagster
community" modal is skipped, the asset graph is drawn in view, the mart's page shows
its columns and checks; a screenshot of the graph is saved beside the test's instance.
"""

import base64
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from dagster_web import ASSETS, BACKFILL, BACKFILL_DONE, LAUNCH_BACKFILL, REPO, dagster_dev
from dagster_web import graphql as _graphql
from dagster_web import wait_for_status as _wait
from websockets.sync.client import ClientConnection, connect

from pipeline.catalog import raw_tables

MONTHS = ["2026-08", "2026-09"]
MART = ["marts", "transfers_monthly"]
RECONCILIATION = "assert_transfers_monthly_equals_sum_of_transfers"
LAUNCH_RUN = """mutation($params: ExecutionParams!) {
  launchPipelineExecution(executionParams: $params) {
    __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message } } }"""
RUN = """query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"""
MATERIALIZATIONS = """query($path: [String!]!, $partitions: [String!]) {
  assetOrError(assetKey: {path: $path}) { ... on Asset {
    assetMaterializations(partitions: $partitions) { partition runId
      metadataEntries { label ... on IntMetadataEntry { intValue }
        ... on TableSchemaMetadataEntry { schema { columns { name type description } } }
  } } } } }"""
CHECKS = """query($path: [String!]!) {
  assetNodeOrError(assetKey: {path: $path}) { ... on AssetNode {
    assetChecksOrError { ... on AssetChecks { checks { name } } } } } }"""


@pytest.fixture(scope="module")
def dagster_ui(sandbox, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("ui")
    home = workdir / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home), "STRIPE_API_KEY": sandbox.api_key,
           "STRIPE_API_BASE": sandbox.base_url, "STRIPE_START_MONTH": "2026-06"}  # fmt: skip
    with dagster_dev(workdir, env) as url:
        yield url, workdir


@pytest.fixture(scope="module")
def backfilled(dagster_ui):
    """Two months of charges backfilled from the UI; `{month: rows}` in raw_stripe after it."""
    url, workdir = dagster_ui
    params = {"partitionNames": MONTHS, "assetSelection": [{"path": ["stripe", "charges"]}]}
    launched = _graphql(url, LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    status = _wait(url, BACKFILL, {"id": launched["backfillId"]},
                   lambda d: d["partitionBackfillOrError"]["status"],
                   BACKFILL_DONE, 400)  # fmt: skip
    assert status in {"COMPLETED", "COMPLETED_SUCCESS"}, status
    return _rows_by_month(workdir / "data" / "warehouse.duckdb")


def _rows_by_month(warehouse: Path) -> dict[str, int]:
    """`{month: rows}` of raw_stripe.charges, once no run (the marts following raw) writes."""
    deadline = time.monotonic() + 600
    while True:
        try:
            with duckdb.connect(str(warehouse), read_only=True) as con:
                query = "select month, count(*) from raw_stripe.charges group by 1"
                return dict(con.execute(query).fetchall())
        except duckdb.IOException:  # a writer holds the file
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


@pytest.fixture(scope="module")
def refreshed(dagster_ui, backfilled):
    """`refresh_warehouse` over the two months, launched as the Launchpad launches it."""
    url, _ = dagster_ui
    selector = {"repositoryLocationName": "stripe_warehouse", "repositoryName": "__repository__",
                "pipelineName": "refresh_warehouse"}  # fmt: skip
    tags = [{"key": "dagster/asset_partition_range_start", "value": MONTHS[0]},
            {"key": "dagster/asset_partition_range_end", "value": MONTHS[-1]}]  # fmt: skip
    params = {"selector": selector, "runConfigData": {}, "executionMetadata": {"tags": tags}}
    launched = _graphql(url, LAUNCH_RUN, {"params": params})["launchPipelineExecution"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    status = _wait(url, RUN, {"id": run_id}, lambda d: d["runOrError"]["status"],
                   {"SUCCESS", "FAILURE", "CANCELED"}, 900)  # fmt: skip
    assert status == "SUCCESS", f"refresh_warehouse run {run_id}: {status}"
    return url


def test_asset_graph_shows_the_flow(dagster_ui):
    url, _ = dagster_ui
    nodes = {"/".join(n["assetKey"]["path"]): n for n in _graphql(url, ASSETS)["assetNodes"]}
    assert (
        nodes["stripe/charges"]["groupName"] == "raw" and nodes["stripe/charges"]["isPartitioned"]
    )
    assert {"raw", "events", "staging", "marts", "serving"} <= {
        n["groupName"] for n in nodes.values()
    }


def test_each_backfilled_partition_carries_its_own_months_row_count(dagster_ui, backfilled):
    url, _ = dagster_ui
    assert sorted(backfilled) == MONTHS and sum(backfilled.values()) > 0
    variables = {"path": ["stripe", "charges"], "partitions": MONTHS}
    events = _graphql(url, MATERIALIZATIONS, variables)["assetOrError"]["assetMaterializations"]
    latest = {}
    for event in events:  # newest first
        latest.setdefault(event["partition"], event)
    rows = {
        month: {e["label"]: e.get("intValue") for e in event["metadataEntries"]}["rows"]
        for month, event in latest.items()
    }
    assert rows == backfilled


def test_a_mart_lists_its_typed_columns_and_its_reconciliation_checks(dagster_ui, refreshed):
    url, _ = dagster_ui
    events = _graphql(url, MATERIALIZATIONS, {"path": MART})["assetOrError"]
    entries = {e["label"]: e for e in events["assetMaterializations"][0]["metadataEntries"]}
    columns = {c["name"]: c for c in entries["dagster/column_schema"]["schema"]["columns"]}
    assert columns["month"]["type"] == "VARCHAR" and columns["month"]["description"]
    assert columns["total_net"]["type"] == "BIGINT"
    node = _graphql(url, CHECKS, {"path": MART})["assetNodeOrError"]
    checks = {c["name"] for c in node["assetChecksOrError"]["checks"]}
    assert RECONCILIATION in checks


class DevToolsPage:
    """One Chromium tab driven over the DevTools protocol (a websocket of JSON calls)."""

    def __init__(self, socket: ClientConnection):
        self.socket = socket
        self.calls = 0

    def call(self, method: str, **params) -> dict:
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:  # events arrive between the answers; they are not needed here
            message = json.loads(self.socket.recv(timeout=120))
            if message.get("id") == self.calls:
                assert "error" not in message, message
                return message["result"]

    def evaluate(self, expression: str):
        answer = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if value := self.evaluate(expression):
                return value
            time.sleep(0.5)
        raise TimeoutError(f"{expression} stayed false; page: {self.evaluate(BODY_TEXT)[:2000]}")

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)


BODY_TEXT = "document.body ? document.body.innerText : ''"
MODAL = "[...document.querySelectorAll('[role=dialog]')].filter(d => d.innerText.includes("
MODAL += "'Join the Dagster community'))"
SKIP = f"{MODAL}.flatMap(d => [...d.querySelectorAll('button')]).find(b => b.innerText.trim() === 'Skip')"  # noqa: E501
DRAWN_NODES = """[...document.querySelectorAll('svg foreignObject [data-tooltip]')].filter(e => {
  const box = e.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
  const top = document.elementFromPoint(x, y);  // nothing (no modal) drawn over the node
  return x > 0 && y > 0 && x < innerWidth && y < innerHeight && top && e.contains(top);
}).map(e => e.dataset.tooltip)"""


@pytest.fixture(scope="module")
def chromium(dagster_ui) -> Iterator[DevToolsPage]:
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    _, workdir = dagster_ui
    profile = workdir / "chromium"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--window-size=1600,1000",
             "--remote-debugging-port=0", "about:blank"]  # fmt: skip
    browser = subprocess.Popen(["chromium", *flags], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        port_file, deadline = profile / "DevToolsActivePort", time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < deadline and browser.poll() is None, "chromium did not start"
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        tabs = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=30).json()
        tab = next(t for t in tabs if t["type"] == "page")["webSocketDebuggerUrl"]
        with connect(tab, max_size=None, open_timeout=60) as socket:
            yield DevToolsPage(socket)
    finally:
        browser.terminate()
        browser.wait(timeout=60)


def _visit(chromium: DevToolsPage, url: str, path: str) -> bool:
    """Open a page as a user would; on the instance's first visit skip the community modal
    (the instance remembers it). Whether the modal was there to skip."""
    first_visit = _graphql(url, "{ shouldShowNux }")["shouldShowNux"]
    chromium.open(f"{url}{path}")
    if first_visit:
        chromium.wait_for(f"!!{SKIP}")
        chromium.evaluate(f"{SKIP}.click()")
        chromium.wait_for(f"{MODAL}.length === 0")
    return first_visit


def test_the_first_visit_skips_the_community_modal_and_shows_the_graph(dagster_ui, chromium):
    url, workdir = dagster_ui
    _visit(chromium, url, "/locations/stripe_warehouse/asset-groups/raw")
    assert _graphql(url, "{ shouldShowNux }")["shouldShowNux"] is False
    drawn = chromium.wait_for(f"(() => {{ const n = {DRAWN_NODES}; return n.length >= 3 && n }})()")
    assert set(drawn) <= {"balance_snapshots", *raw_tables()}, drawn  # the raw group's nodes
    assert chromium.evaluate(f"{MODAL}.length") == 0
    screenshot = workdir / "asset_graph.png"
    shot = chromium.call("Page.captureScreenshot", format="png")["data"]
    screenshot.write_bytes(base64.b64decode(shot))
    assert screenshot.stat().st_size > 20_000


TABLE_ROWS = (
    "[...document.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.innerText.trim()))"
)


def test_a_mart_page_shows_its_typed_columns_and_its_reconciliation_check(
    dagster_ui, refreshed, chromium
):
    url, _ = dagster_ui
    _visit(chromium, url, "/assets/marts/transfers_monthly")
    rows = chromium.wait_for(
        f"(() => {{ const r = {TABLE_ROWS}; return r.some(c => c[0] === 'total_net' && c[2]) && r }})()"  # noqa: E501
    )  # the columns as built: name, type, description
    columns = {cells[0]: cells[1:] for cells in rows if len(cells) == 3}
    assert columns["total_net"][0] == "BIGINT" and columns["month"][0] == "VARCHAR"
    assert "minor units" in columns["total_net"][1]
    _visit(chromium, url, "/assets/marts/transfers_monthly?view=checks")
    chromium.wait_for(f"document.body.innerText.includes('{RECONCILIATION}')")
