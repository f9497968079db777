"""A purge refuses what Stripe could not have issued or the warehouse never saw, rewrites
only what names the customer, and reaches the landing files without breaking ingestion.

Each test works on its own copy of the session's pipeline run (real sandbox, real
Parquet, DuckDB and Dagster), so purges do not leak into other tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli.main_job import Target, run_resources
from pipeline.defs.purge_job import purge_customer_job
from pipeline.purge.apply import purge_customer
from pipeline.raw.partition import write_partition
from pipeline.raw.schema import PARTITION_FILE

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(pipeline_run, tmp_path) -> Path:
    """A private copy of the session's data directory (no Dagster home in it)."""
    copy = tmp_path / "data"
    shutil.copytree(pipeline_run.data_dir, copy, ignore=shutil.ignore_patterns("dagster_home"))
    return copy


def purge_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m pipeline.cli.purge …` run where `data/` is the copy."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "DAGSTER_HOME": str(data_dir / "home")}
    (data_dir / "home").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "pipeline.cli.purge", *args], cwd=data_dir.parent,
                          env=env, capture_output=True, text=True, timeout=600)  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("customer_id", ["cus_", "cus_a b", "ch_3MmlLrLkdIwHu7ix", "cus_Unseen0"])
def test_bogus_and_unseen_ids_are_refused_with_one_line_and_nothing_recorded(data_dir, customer_id):
    warehouse = data_dir / "warehouse.duckdb"
    before = digest(warehouse)
    done = purge_cli(data_dir, customer_id)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("purge refused: ")
    assert ("never seen" in done.stderr) == (customer_id == "cus_Unseen0")
    assert not (data_dir / "purges" / "purges.jsonl").exists()
    assert digest(warehouse) == before


def test_force_records_an_unseen_customer_and_rewrites_nothing(data_dir):
    raw_before = {p: digest(p) for p in (data_dir / "raw").rglob("*.parquet")}
    result = purge_customer(data_dir, data_dir / "warehouse.duckdb", "cus_Later1", force=True)
    assert (result.partitions, result.events, result.landing_lines) == ({}, 0, 0)
    assert {p: digest(p) for p in (data_dir / "raw").rglob("*.parquet")} == raw_before
    register = (data_dir / "purges" / "purges.jsonl").read_text()
    assert json.loads(register)["customer_id"] == "cus_Later1"
    done = purge_cli(data_dir, "cus_Later2")
    assert done.returncode == 2 and "--force" in done.stderr


def payload_hashes(raw_dir: Path, customer_id: str) -> dict[tuple[str, str], str]:
    """(file, row id) -> sha256 of the payload, for every row not naming the customer,
    over the monthly object partitions (a balance snapshot has no row id)."""
    hashes = {}
    for path in sorted(raw_dir.glob(f"stripe/*/month=*/{PARTITION_FILE}")):
        table = pq.read_table(path, columns=["id", "payload"])
        ids, payloads = (table.column(c).to_pylist() for c in ("id", "payload"))
        for row_id, payload in zip(ids, payloads, strict=True):
            if payload and f'"{customer_id}"' not in payload:
                hashes[(str(path.relative_to(raw_dir)), row_id)] = hashlib.sha256(
                    payload.encode()
                ).hexdigest()
    return hashes


def rename_in_raw(data_dir: Path, customer_id: str, **changes) -> None:
    """Store the customer again in `raw_stripe.customers` with `changes` (non-ASCII text)."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        row = con.execute(
            "select * from raw_stripe.customers where id = ?", [customer_id]
        ).to_arrow_table()
        payload = {**orjson.loads(row.column("payload")[0].as_py()), **changes}
        row = row.set_column(row.schema.get_field_index("payload"), "payload",
                             pa.array([orjson.dumps(payload).decode()]))  # fmt: skip
        month = row.column("month")[0].as_py()
        write_partition(data_dir / "raw", con, "customers", month, row, mode="upsert")


def customers_of_one_month(data_dir: Path) -> list[tuple[str, str]]:
    """(id, email) of three customers with an email stored in the same raw partition."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "select id, payload ->> 'email' from raw_stripe.customers where month = ("
            "  select month from raw_stripe.customers where (payload ->> 'email') is not null"
            "  group by month having count(*) >= 3 order by month limit 1)"
            " and (payload ->> 'email') is not null order by id limit 3"
        ).fetchall()


def customer_payload(data_dir: Path, customer_id: str) -> str:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "select payload from raw_stripe.customers where id = ?", [customer_id]
        ).fetchone()[0]


def test_a_purge_rewrites_only_payloads_naming_the_customer(data_dir):
    (first, email), (second, _), (other, _) = customers_of_one_month(data_dir)
    rename_in_raw(data_dir, other, name="chloé Müller")
    rename_in_raw(data_dir, first, metadata={"note": "Zoë"})
    warehouse = data_dir / "warehouse.duckdb"
    before = payload_hashes(data_dir / "raw", first)

    purge_customer(data_dir, warehouse, first)

    assert payload_hashes(data_dir / "raw", first) == before  # the others, file by file
    mine = customer_payload(data_dir, first)
    assert '"note":"Zoë"' in mine and email not in mine and json.loads(mine)["email"] is None
    assert '"name":"chloé Müller"' in customer_payload(data_dir, other)

    before = payload_hashes(data_dir / "raw", second)  # now with the first one, already purged
    purge_customer(data_dir, warehouse, second)  # rewrites the partition they share
    assert payload_hashes(data_dir / "raw", second) == before
    assert customer_payload(data_dir, first) == mine


@pytest.mark.parametrize("customer_id", ["cus_", "cus_Unseen0"])
def test_the_dagster_job_refuses_too_and_records_nothing(data_dir, sandbox, customer_id):
    resources = run_resources(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)
    config = {"ops": {"purge_and_republish": {"config": {"customer_id": customer_id}}}}
    result = purge_customer_job.execute_in_process(
        run_config=config, resources=resources, instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )  # fmt: skip
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert "purge refused: " in failure.step_failure_data.error.message
    assert not (data_dir / "purges" / "purges.jsonl").exists()
