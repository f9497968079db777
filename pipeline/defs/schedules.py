"""Jobs and schedules: a daily refresh of the open months, a monthly close."""

from datetime import UTC, datetime

import dagster as dg

from pipeline.defs.assets.deleted_customers import DELETED_CUSTOMERS
from pipeline.months import month_of, previous_month

ASSET_PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
ASSET_PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"

refresh_warehouse_job = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="The whole warehouse, end to end: a balance snapshot, the chosen months of"
    " every Stripe object listed again, new events taken in and applied, the dbt models"
    " rebuilt and tested, the marts published. The daily schedule runs it for the previous"
    " and the current month.",
)

extract_raw_job = dg.define_asset_job(
    "extract_raw",
    selection=dg.AssetSelection.groups("raw") - dg.AssetSelection.assets(DELETED_CUSTOMERS),
    description="Stripe only: a balance snapshot, then every object created in the chosen"
    " months listed into the raw layer (Parquet and raw_stripe), replacing those months."
    " The marts follow by themselves (sensor marts_follow_raw).",
)


def partition_range_tags(first: str, last: str) -> dict[str, str]:
    """Tags that make one run cover a range of months (single-run backfill)."""
    return {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}


@dg.schedule(job=refresh_warehouse_job, cron_schedule="0 3 * * *", execution_timezone="UTC")
def daily_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every day: list the current and the previous month again, take in new events
    (older objects' changes), rebuild the marts and publish them."""
    when = context.scheduled_execution_time or datetime.now(UTC)
    current = month_of(int(when.timestamp()))
    previous = previous_month(current)
    return dg.RunRequest(
        run_key=f"daily-{when:%Y-%m-%d}", tags=partition_range_tags(previous, current)
    )


monthly_close = dg.build_schedule_from_partitioned_job(
    extract_raw_job, name="monthly_close", hour_of_day=4, day_of_month=2
)
