"""The first month: only one found in the account is remembered; Dagster runs check
the same settings at resource setup and fail in one line."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from pipeline.cli.failures import one_line
from pipeline.defs.assets.raw import stripe_raw
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.extract import StripeHttp, find_first_month
from pipeline.months import month_of, months_between
from stripe_sandbox.running import SandboxServer, free_port
from stripe_sandbox.store import open_reader, read_meta

PARTITIONS = (
    "from pipeline.defs.partitions import monthly_partitions as p;"
    "keys = p.get_partition_keys(); print(keys[0], len(keys))"
)


def partitions_in(cwd: Path, **env: str) -> tuple[str, int]:
    """First partition and count, as a fresh process loading the definitions sees them."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    done = subprocess.run([sys.executable, "-c", PARTITIONS], cwd=cwd, env={**base, **env},
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    first, count = done.stdout.split()
    return first, int(count)


def test_a_failed_first_month_probe_is_never_remembered(sandbox, small_account, tmp_path):
    remembered = tmp_path / "data" / "state" / "first_month"
    refused = {"STRIPE_API_KEY": "sk_test_x", "STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}"}
    fallback, fallback_count = partitions_in(tmp_path, **refused)
    assert fallback == "2010-01" and not remembered.exists()
    with SandboxServer(small_account, key="sk_test_onlythisone") as one_key:
        wrong_key = {"STRIPE_API_KEY": "sk_test_another", "STRIPE_API_BASE": one_key.base_url}
        assert partitions_in(tmp_path, **wrong_key) == (fallback, fallback_count)  # a 401
    assert not remembered.exists()

    reachable = {"STRIPE_API_KEY": sandbox.api_key, "STRIPE_API_BASE": sandbox.base_url}
    expected = asyncio.run(find_first_month(StripeHttp(sandbox.api_key, sandbox.base_url)))
    first, count = partitions_in(tmp_path, **reachable)
    assert first == expected and remembered.read_text().strip() == expected
    assert count == len(months_between(expected, month_of(int(time.time()))))  # to this month
    assert count < fallback_count

    remembered.write_text("2010-01\n")  # what an older version saved after a failed probe
    assert partitions_in(tmp_path, **reachable) == (expected, count)
    assert remembered.read_text().strip() == expected


def raw_run(stripe: StripeResource, data_dir: Path) -> BaseException:
    warehouse = WarehouseResource(data_dir=str(data_dir), raw_dir=str(data_dir / "raw"),
                                  warehouse_path=str(data_dir / "warehouse.duckdb"))  # fmt: skip
    with pytest.raises(Exception) as error:
        dg.materialize([stripe_raw], partition_key="2026-10",
                       resources={"stripe": stripe, "warehouse": warehouse})  # fmt: skip
    return error.value


def test_a_dagster_run_fails_at_resource_setup_in_one_line(sandbox, small_account, tmp_path):
    key = "sk_test_51NotTheKeyOfThisAccount77774444"
    refused = StripeResource(api_key=key, api_base=f"http://127.0.0.1:{free_port()}")
    error = raw_run(refused, tmp_path / "data")
    assert isinstance(error, dg.DagsterResourceFunctionError)
    assert "refused the connection" in one_line(error) and key not in one_line(error)

    shape = raw_run(StripeResource(api_key="sk_nope", api_base=sandbox.base_url), tmp_path)
    assert "does not look like a Stripe key" in one_line(shape)

    clock = int(read_meta(open_reader(small_account))["clock"])
    late = StripeResource(api_key=sandbox.api_key, api_base=sandbox.base_url, clock=clock,
                          start_month="2026-12")  # fmt: skip
    assert one_line(raw_run(late, tmp_path)) == (
        f"STRIPE_START_MONTH=2026-12 is in the future: the latest month is {month_of(clock)}"
    )
    assert not (tmp_path / "data").exists() and not (tmp_path / "raw").exists()
