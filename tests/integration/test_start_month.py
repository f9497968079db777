"""`STRIPE_START_MONTH` later than the account's history is a supported choice.

`python -m pipeline.cli.run` (what `make run` runs) on the small sandbox account,
from its third month: charges, invoices and subscriptions then refer to
customers created before it. The run completes, publishes the marts, and the
references that dangle are counted in `dangling_references` and printed — at
most as many as the official SDK finds in the sandbox (the events taken in may
bring some of those customers in).
"""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest
import stripe

from pipeline.months import month_bounds, month_of, months_between
from stripe_sandbox.starter import preset_first_month
from stripe_sandbox.store import open_reader, read_meta

pytestmark = pytest.mark.slow


def customers_referred_before(start: str, client: stripe.StripeClient) -> int:
    """Charges of the months from `start` whose customer was created before it."""
    gte = month_bounds(start)[0]
    held = {c.id for c in client.v1.customers.list({"limit": 100, "created": {"gte": gte}})
            .auto_paging_iter()}  # fmt: skip
    charges = client.v1.charges.list({"limit": 100, "created": {"gte": gte}}).auto_paging_iter()
    return sum(1 for c in charges if c.customer and c.customer not in held)


def test_make_run_from_a_later_start_month_completes_and_publishes(
    sandbox, small_account, tmp_path
):
    clock = int(read_meta(open_reader(small_account))["clock"])
    start = months_between(preset_first_month("small"), month_of(clock))[2]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "DAGSTER_HOME"))}
    env = {**base, "STRIPE_SANDBOX_PRESET": "small", "STRIPE_START_MONTH": start}
    done = subprocess.run([sys.executable, "-m", "pipeline.cli.run"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=1200)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Extracting {start} …" in done.stdout
    assert "Dangling references:" in done.stdout and "(counted, not fatal" in done.stdout

    data = tmp_path / "data"
    assert not (data / "state" / "first_month").exists(), "a configured month is not found"
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        listed = "select min(month) from raw_stripe.charges where source = 'list'"
        assert con.execute(listed).fetchone()[0] == start  # events may bring older objects
    with duckdb.connect(str(data / "marts.duckdb"), read_only=True) as con:
        dangling = dict(con.execute(
            "select model_name || '.' || column_name, dangling_row_count from dangling_references"
        ).fetchall())  # fmt: skip
        assert con.execute("select count(*) from transfers_monthly").fetchone()[0] > 0
    client = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})
    expected = customers_referred_before(start, client)
    # the recent events also bring in customers they name, so at most as many dangle
    assert 0 < dangling["charges.customer_id"] <= expected
