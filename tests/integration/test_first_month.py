"""The first month: partitions start from the settings alone; a run finds the account's
first month, remembers only one really found, and skips the months before it; Dagster
runs check the same settings at resource setup and fail in one line."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline.cli.failures import one_line
from pipeline.defs.assets.raw import stripe_raw
from pipeline.defs.first_month import first_month, remembered_path
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.extract import StripeHttp, find_first_month
from pipeline.extract.first_month import EARLIEST_MONTH
from pipeline.months import month_of, months_between
from stripe_sandbox.running import SandboxServer, free_port
from stripe_sandbox.starter import preset_first_month
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


def test_partitions_start_from_the_settings_alone(tmp_path):
    key = {"STRIPE_API_KEY": "sk_test_x", "STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}"}
    assert partitions_in(tmp_path, **key)[0] == EARLIEST_MONTH  # nothing asked of Stripe
    assert partitions_in(tmp_path, **key, STRIPE_START_MONTH="2024-03")[0] == "2024-03"
    assert partitions_in(tmp_path)[0] == preset_first_month("default")
    assert partitions_in(tmp_path, STRIPE_SANDBOX_PRESET="nope")[0] == EARLIEST_MONTH
    assert list(tmp_path.iterdir()) == []  # nothing remembered, nothing made


def test_only_a_month_found_in_the_account_is_remembered(sandbox, small_account, tmp_path):
    state = tmp_path / "state"
    refused = StripeResource(api_key="sk_test_x", api_base=f"http://127.0.0.1:{free_port()}")
    assert first_month(refused, state) == EARLIEST_MONTH and not state.exists()
    with SandboxServer(small_account, key="sk_test_onlythisone") as one_key:
        wrong_key = StripeResource(api_key="sk_test_another", api_base=one_key.base_url)
        assert first_month(wrong_key, state) == EARLIEST_MONTH  # a 401
    assert not state.exists()

    reachable = StripeResource(api_key=sandbox.api_key, api_base=sandbox.base_url)
    expected = asyncio.run(find_first_month(StripeHttp(sandbox.api_key, sandbox.base_url)))
    assert expected > EARLIEST_MONTH and first_month(reachable, state) == expected
    (remembered,) = state.iterdir()
    assert remembered.read_text().strip() == expected
    other = StripeResource(api_key="sk_test_other", api_base=sandbox.base_url,
                           stripe_account="acct_1Other")  # fmt: skip
    assert remembered_path(other, state) != remembered  # another account never reads it

    remembered.write_text("2010-01\n")  # what an older version saved after a failed probe
    assert first_month(reachable, state) == expected
    assert remembered.read_text().strip() == expected
    configured = StripeResource(api_key=sandbox.api_key, api_base=sandbox.base_url,
                                start_month="2026-01")  # fmt: skip
    assert first_month(configured, state) == "2026-01"


def test_a_raw_run_skips_the_months_before_the_first_month(sandbox, tmp_path):
    data = tmp_path / "data"
    stripe = StripeResource(api_key=sandbox.api_key, api_base=sandbox.base_url)
    first = first_month(stripe, data / "state")
    before = months_between("2010-01", first)[-3:-1]
    warehouse = WarehouseResource(data_dir=str(data), raw_dir=str(data / "raw"),
                                  warehouse_path=str(data / "warehouse.duckdb"))  # fmt: skip
    result = dg.materialize(
        [stripe_raw], resources={"stripe": stripe, "warehouse": warehouse},
        tags={"dagster/asset_partition_range_start": before[0],
              "dagster/asset_partition_range_end": first},
    )  # fmt: skip
    assert result.success
    months = {m for (m,) in duckdb.connect(str(data / "warehouse.duckdb")).execute(
        "select distinct month from raw_stripe.customers").fetchall()}  # fmt: skip
    assert months <= {first} and not set(before) & months


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
