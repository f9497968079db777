"""A warehouse whose objects refer to objects it does not hold still builds and publishes.

The small account is extracted from its third month only: charges, invoices
and subscriptions then refer to customers and subscriptions created earlier.
The dbt build completes with warnings (every `relationships` test warns),
the marts are published, and `dangling_references` counts what dangles — the
expectation computed from the sandbox through the official SDK, not from SQL.
"""

from __future__ import annotations

from collections import Counter

import dagster as dg
import duckdb
import pytest
import stripe

from pipeline.cli.main_job import Target, extract_everything, run_resources
from pipeline.cli.report import dangling_lines
from pipeline.defs.assets.dbt import stripe_dbt_models
from pipeline.defs.assets.serving import published_marts
from pipeline.months import month_bounds, month_of, months_between
from stripe_sandbox.starter import preset_first_month
from stripe_sandbox.store import open_reader, read_meta

pytestmark = pytest.mark.slow


def listed(client: stripe.StripeClient, service: str, gte: int, **params) -> list:
    query = {"limit": 100, "created": {"gte": gte}, **params}
    return list(getattr(client.v1, service).list(query).auto_paging_iter())


def invoice_subscription(invoice) -> str | None:
    details = (invoice.to_dict().get("parent") or {}).get("subscription_details") or {}
    return details.get("subscription") or invoice.to_dict().get("subscription")


def expected_dangling(client: stripe.StripeClient, gte: int) -> dict[str, int]:
    """Rows referring to an object not created in the window, straight from the API."""
    customers = {c.id for c in listed(client, "customers", gte)}
    subscriptions = listed(client, "subscriptions", gte, status="all")
    charges, invoices = listed(client, "charges", gte), listed(client, "invoices", gte)
    held_subscriptions = {s.id for s in subscriptions}
    counts: Counter = Counter()
    for name, rows in (
        ("charges", charges),
        ("invoices", invoices),
        ("subscriptions", subscriptions),
    ):
        counts[f"{name}.customer_id"] = sum(
            1 for r in rows if r.customer and r.customer not in customers
        )
    counts["invoices.subscription_id"] = sum(
        1 for i in invoices if invoice_subscription(i) not in (None, *held_subscriptions)
    )
    return dict(counts)


@pytest.fixture(scope="module")
def late_start(sandbox, small_account, tmp_path_factory):
    """The main job's extraction and dbt build over months 3… of the small account."""
    data_dir = tmp_path_factory.mktemp("late_start")
    resources = run_resources(Target(sandbox.api_key, sandbox.base_url, sandbox), data_dir)
    clock = int(read_meta(open_reader(small_account))["clock"])
    months = months_between(preset_first_month("small"), month_of(clock))[2:]
    instance = dg.DagsterInstance.ephemeral()
    extract_everything(resources, instance, months)
    result = dg.materialize(
        [stripe_dbt_models, published_marts], resources=resources, instance=instance
    )
    return data_dir, months, result


def test_the_build_warns_and_publishes_the_marts(late_start) -> None:
    data_dir, _, result = late_start
    assert result.success
    checks = result.get_asset_check_evaluations()
    warned = [c for c in checks if not c.passed and c.severity == dg.AssetCheckSeverity.WARN]
    assert any("relationships" in c.check_name for c in warned)
    assert all(c.passed or c.severity == dg.AssetCheckSeverity.WARN for c in checks)
    with duckdb.connect(str(data_dir / "marts.duckdb"), read_only=True) as con:
        tables = con.execute("select table_name from information_schema.tables").fetchall()
    published = {r[0] for r in tables}
    assert {"charges", "invoices", "transfers_monthly", "dangling_references"} <= published


def test_dangling_references_counts_what_the_api_says_is_missing(late_start, sandbox) -> None:
    data_dir, months, _ = late_start
    client = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})
    expected = expected_dangling(client, month_bounds(months[0])[0])
    with duckdb.connect(str(data_dir / "marts.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select model_name || '.' || column_name, dangling_row_count, example_ids"
            " from dangling_references"
        ).fetchall()
        report = dangling_lines(con)
    actual = {reference: count for reference, count, _ in rows}
    assert len(actual) == len(rows) >= 10  # one row per reference, dangling or not
    assert {k: actual[k] for k in expected} == expected
    assert expected["charges.customer_id"] > 0 and expected["invoices.customer_id"] > 0
    for _, count, examples in rows:
        assert (count > 0) == bool(examples) and len(examples) <= 5
    dangling = sum(1 for _, count, _ in rows if count)
    assert report[0].startswith(f"Dangling references: {dangling} of {len(rows)} references")
