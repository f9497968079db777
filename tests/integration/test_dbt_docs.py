"""`make docs` serves dbt docs on 127.0.0.1 where every mart column and source is described.

The real command (`make docs DOCS_PORT=…`) generates the docs against a copy of
the warehouse the real main job built, then serves them; the test reads the
served `manifest.json` and `catalog.json` over HTTP. Each column a mart
(models/marts/) really has in the warehouse must carry a description there, and
the catalogue must know its type; every source table and each of the columns
the catalogue finds in it is described too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from stripe_sandbox.running import free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
REPORTS = {
    "balance_summary",
    "balance_summary_activity",
    "balance_snapshots",
    "ending_balance_reconciliation",
    "balance_change_from_activity",
    "payout_reconciliation",
    "payouts_itemized",
    "overview_metrics",
    "volume_by_presentment_currency",
}
ALSO_DESCRIBED = {"transfers_monthly", "charges", "customers", "subscription_mrr_monthly"}


@pytest.fixture(scope="module")
def served_docs(built_warehouse: Path, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("docs")
    warehouse = workdir / "warehouse.duckdb"
    shutil.copy(built_warehouse, warehouse)
    port = free_port()
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse)}
    log = open(workdir / "make_docs.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "docs", f"DOCS_PORT={port}"],
        cwd=REPO, env=env, stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, workdir / "make_docs.log")
        yield url, warehouse
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        log.close()


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"{url}/catalog.json", timeout=10).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise TimeoutError("make docs did not serve " + url + "\n" + log.read_text()[-3000:])


def _served(url: str, name: str) -> dict:
    answer = httpx.get(f"{url}/{name}", timeout=60)
    answer.raise_for_status()
    return answer.json()


def _mart_nodes(nodes: dict) -> dict[str, dict]:
    """Every mart (models/marts/**), by model name."""
    return {
        node["name"]: node
        for node in nodes.values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
    }


def _warehouse_columns(warehouse: Path, table: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
        ]


def test_docs_are_served_on_localhost(served_docs):
    url, _ = served_docs
    index = httpx.get(f"{url}/", timeout=60)
    assert index.status_code == 200
    assert "dbt" in index.text.lower()


def test_every_mart_column_is_described_and_typed(served_docs):
    url, warehouse = served_docs
    marts = _mart_nodes(_served(url, "manifest.json")["nodes"])
    assert set(marts) >= REPORTS | ALSO_DESCRIBED, sorted(marts)
    catalog = _served(url, "catalog.json")["nodes"]
    undescribed, untyped = [], []
    for name, node in sorted(marts.items()):
        columns = _warehouse_columns(warehouse, name)
        assert columns, f"marts.{name} is not in the warehouse"
        assert (node.get("description") or "").strip(), f"{name} has no description"
        documented = node["columns"]
        typed = catalog[node["unique_id"]]["columns"]
        for column in columns:
            if not (documented.get(column, {}).get("description") or "").strip():
                undescribed.append(f"{name}.{column}")
            if not typed.get(column, {}).get("type"):
                untyped.append(f"{name}.{column}")
        stale = set(documented) - set(columns)
        assert not stale, f"{name} documents columns it does not have: {sorted(stale)}"
    assert not undescribed, "columns without a description: " + ", ".join(undescribed)
    assert not untyped, "columns the served catalog has no type for: " + ", ".join(untyped)


def test_every_source_table_and_its_columns_are_described(served_docs):
    url, _ = served_docs
    sources = _served(url, "manifest.json")["sources"]
    catalog = _served(url, "catalog.json")["sources"]
    assert len(sources) > 30, sorted(sources)
    undescribed_tables = [
        uid for uid, s in sources.items() if not (s.get("description") or "").strip()
    ]
    assert not undescribed_tables, f"source tables without a description: {undescribed_tables}"
    undescribed = []
    for uid, source in sorted(sources.items()):
        if uid not in catalog:  # an optional source (schema `events`) not created yet
            continue
        for column in catalog[uid]["columns"]:
            if not (source["columns"].get(column, {}).get("description") or "").strip():
                undescribed.append(f"{source['source_name']}.{source['name']}.{column}")
    assert not undescribed, "source columns without a description: " + ", ".join(undescribed)
    assert "source.stripe_warehouse.stripe.charges" in catalog, sorted(catalog)
