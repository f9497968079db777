"""Jobs around events: process new deliveries (started by a sensor), reprocess failures."""

from datetime import datetime
from pathlib import Path

import dagster as dg
from pydantic import Field

from pipeline.defs.assets.deleted_customers import DELETED_CUSTOMERS
from pipeline.defs.assets.events import PROCESSED, SYNC, VALIDATED
from pipeline.defs.pools import whole_warehouse_tags
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.events.fetch import SdkLookup
from pipeline.events.reprocess import reprocess
from pipeline.events.schema import ensure_schema
from pipeline.events.webhooks.landing import landing_cursor
from pipeline.raw.warehouse import open_warehouse

process_events_job = dg.define_asset_job(
    "process_events",
    selection=dg.AssetSelection.assets(SYNC, VALIDATED, PROCESSED, DELETED_CUSTOMERS),
    description="Events: the new ones listed from Stripe (event_sync), then each one the"
    " webhook receiver landed or Stripe listed checked against Stripe's own copy, and the"
    " valid ones applied to the raw layer; then the deleted customers still referred to"
    " retrieved (deleted_customers). As make run's step of the same name; started by"
    " the webhook_deliveries sensor when deliveries land.",
)


@dg.sensor(job=process_events_job, minimum_interval_seconds=30)
def webhook_deliveries(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Starts `process_events` whenever new deliveries (or refusals) land."""
    cursor = landing_cursor(Path(warehouse.data_dir))
    if cursor == context.cursor:
        return dg.SkipReason("nothing new under data/landing")
    context.update_cursor(cursor)
    return dg.RunRequest(run_key=cursor)


class ReprocessConfig(dg.Config):
    """Which failed events to run again; no filter means every failed event."""

    ids: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    since: str | None = None  # ISO time
    until: str | None = None


@dg.op
def reprocess_failed_events(
    context: dg.OpExecutionContext,
    config: ReprocessConfig,
    stripe: StripeResource,
    warehouse: WarehouseResource,
) -> dict:
    with open_warehouse(warehouse.warehouse) as conn:
        ensure_schema(conn)
        outcome = reprocess(
            conn,
            warehouse.raw,
            SdkLookup(stripe.sdk_client()),
            ids=config.ids or None,
            types=config.types or None,
            since=datetime.fromisoformat(config.since) if config.since else None,
            until=datetime.fromisoformat(config.until) if config.until else None,
            now=stripe.now(),
        )
    context.log.info(f"Reprocessed: {dict(outcome)}")
    return dict(outcome)


@dg.job(tags=whole_warehouse_tags())
def reprocess_events():
    """Validate and process failed events again, selected by ids, types or time range."""
    reprocess_failed_events()
