"""The Dagster code location loads, and its pieces line up with dbt's."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import dagster as dg

from pipeline.catalog import raw_tables
from pipeline.defs.assets.balance import BALANCE_SNAPSHOTS_KEY
from pipeline.defs.definitions import defs

REPO = Path(__file__).resolve().parents[1]
DBT_TESTS = REPO / "dbt_project" / "tests"


def test_definitions_validate_from_the_cli(tmp_path):
    # Outside the repo's .env (its DAGSTER_HOME exists after `make install`): a temporary instance.
    workspace = str(REPO / "workspace.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", workspace],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={
            **{k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"},
            "PYTHONPATH": str(REPO),
        },
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_every_raw_table_is_a_monthly_partitioned_asset_in_the_raw_group():
    graph = defs.resolve_asset_graph()
    for table in raw_tables():
        node = graph.get(dg.AssetKey(["stripe", table]))
        assert node.group_name == "raw"
        assert node.partitions_def is not None
        keys = node.partitions_def.get_partition_keys()
        assert keys[0] <= "2023-12" and all(len(k) == 7 for k in keys)


def test_dbt_sources_are_the_raw_assets_so_lineage_is_one_graph():
    graph = defs.resolve_asset_graph()
    staging = [k for k in graph.get_all_asset_keys() if k.path[-1].startswith("stg_stripe__")]
    assert staging, "no staging models found"
    raw_keys = {dg.AssetKey(["stripe", t]) for t in raw_tables()} | {BALANCE_SNAPSHOTS_KEY}
    raw_keys.add(dg.AssetKey(["stripe", "deleted_customers"]))  # writes raw customers too
    upstream = set().union(*(graph.get(k).parent_keys for k in staging))
    from_stripe = {k for k in upstream if k.path[0] == "stripe"}
    assert from_stripe <= raw_keys, f"sources without a raw asset: {from_stripe - raw_keys}"
    assert dg.AssetKey(["stripe", "charges"]) in from_stripe


def test_schedules_and_jobs_are_defined():
    assert {s.name for s in defs.schedules} >= {"daily_refresh", "monthly_close"}
    assert defs.resolve_job_def("extract_raw") is not None


def test_the_balance_snapshot_is_an_unpartitioned_raw_asset_in_the_scheduled_jobs():
    graph = defs.resolve_asset_graph()
    node = graph.get(BALANCE_SNAPSHOTS_KEY)
    assert node.group_name == "raw" and node.partitions_def is None
    assert node.pools == {"warehouse"}
    assert BALANCE_SNAPSHOTS_KEY in graph.get(dg.AssetKey(["stripe", "charges"])).parent_keys
    for job in ("extract_raw", "refresh_warehouse"):
        assert BALANCE_SNAPSHOTS_KEY in defs.resolve_job_def(job).asset_layer.executable_asset_keys


def test_every_singular_dbt_test_is_an_asset_check_and_the_reconciliations_check_their_mart():
    checks = {k.name: k.asset_key for k in defs.resolve_asset_graph().asset_check_keys}
    singular = sorted(p.stem for p in DBT_TESTS.glob("assert_*.sql"))
    assert singular and set(singular) <= set(checks), set(singular) - set(checks)
    assert checks["assert_transfers_monthly_equals_sum_of_transfers"] == dg.AssetKey(
        ["marts", "transfers_monthly"]
    )
    assert checks["assert_itemized_payout_reconciliation_nets_to_payouts"] == dg.AssetKey(
        ["marts", "payout_reconciliation"]
    )


def test_every_mart_shows_its_documented_columns_before_its_first_run():
    graph = defs.resolve_asset_graph()
    marts = [k for k in graph.get_all_asset_keys() if k.path[0] == "marts"]
    assert len(marts) > 20
    for key in marts:
        schema = graph.get(key).metadata.get("dagster/column_schema")
        assert schema is not None and schema.columns, f"{key.to_user_string()} has no columns"
        assert all(column.name for column in schema.columns)


def test_marts_have_owners_layer_and_domain_tags_and_a_daily_freshness_policy():
    node = defs.resolve_asset_graph().get(dg.AssetKey(["marts", "transfers_monthly"]))
    assert node.owners == ["team:data"]
    assert node.tags["layer"] == "marts" and node.tags["domain"] == "payouts"
    assert node.freshness_policy.fail_window.to_timedelta() == timedelta(hours=26)
    published = defs.resolve_asset_graph().get(dg.AssetKey(["serving", "published_marts"]))
    assert published.owners == ["team:data"] and published.tags["layer"] == "serving"
    assert published.freshness_policy == node.freshness_policy


def test_models_and_publishing_follow_upstream_by_a_sensor_running_by_default():
    graph = defs.resolve_asset_graph()
    for key in (["staging", "stg_stripe__charges"], ["marts", "charges"],
                ["serving", "published_marts"]):  # fmt: skip
        assert graph.get(dg.AssetKey(key)).automation_condition is not None, key
    assert graph.get(dg.AssetKey(["stripe", "charges"])).automation_condition is None
    sensor = next(s for s in defs.sensors if s.name == "marts_follow_raw")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_process_events_lists_new_events_first_as_make_run_does():
    job = defs.resolve_job_def("process_events")
    assert dg.AssetKey(["events", "event_sync"]) in job.asset_layer.executable_asset_keys


def test_deleted_customers_follow_the_events_and_precede_the_customer_models():
    graph = defs.resolve_asset_graph()
    deleted = dg.AssetKey(["stripe", "deleted_customers"])
    assert dg.AssetKey(["events", "processed_events"]) in graph.get(deleted).parent_keys
    assert dg.AssetKey(["staging", "stg_stripe__customers"]) in graph.get(deleted).child_keys
    assert deleted in defs.resolve_job_def("process_events").asset_layer.executable_asset_keys
    assert deleted not in defs.resolve_job_def("extract_raw").asset_layer.executable_asset_keys
