"""The daily schedule asks for the open months, and that run refreshes the whole warehouse."""

from datetime import UTC, datetime

import dagster as dg

from pipeline.defs.definitions import defs
from pipeline.defs.schedules import daily_refresh


def test_daily_refresh_lists_two_months_and_rebuilds_everything(pipeline_run):
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 11, 15, 3, tzinfo=UTC)
    )
    request = daily_refresh(context)
    assert request.tags["dagster/asset_partition_range_start"] == "2026-10"
    assert request.tags["dagster/asset_partition_range_end"] == "2026-11"
    assert daily_refresh.job_name == "refresh_warehouse"

    job_assets = defs.resolve_job_def("refresh_warehouse").asset_layer.executable_asset_keys
    result = dg.materialize(
        [a for a in defs.assets if set(a.keys) & set(job_assets)],
        resources=pipeline_run.resources, instance=pipeline_run.instance, tags=request.tags,
    )  # fmt: skip
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey(["marts", "transfers_monthly"]) in materialized
    assert dg.AssetKey(["serving", "published_marts"]) in materialized
    months = {e.partition for e in result.get_asset_materialization_events()
              if e.asset_key == dg.AssetKey(["stripe", "charges"])}  # fmt: skip
    assert months == {"2026-10", "2026-11"}


def test_refresh_warehouse_launched_with_no_partition_refreshes_the_open_months(pipeline_run):
    """As the Launchpad launches it when no partition is chosen: no tags, no config."""
    job_assets = defs.resolve_job_def("refresh_warehouse").asset_layer.executable_asset_keys
    result = dg.materialize(
        [a for a in defs.assets if set(a.keys) & set(job_assets)],
        resources=pipeline_run.resources, instance=pipeline_run.instance,
    )  # fmt: skip
    assert result.success
    charges = [e for e in result.get_asset_materialization_events()
               if e.asset_key == dg.AssetKey(["stripe", "charges"])]  # fmt: skip
    assert {e.partition for e in charges} >= set(pipeline_run.months[-2:])
    rows = {e.partition: e.materialization.metadata["rows"].value for e in charges if e.partition}
    assert set(rows) == set(pipeline_run.months[-2:]) and sum(rows.values()) > 0
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey(["serving", "published_marts"]) in materialized
