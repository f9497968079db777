"""Event assets: webhook deliveries and listed events, validated against Stripe, applied.

`validated_events` loads what the webhook receiver landed and what extraction
listed from `/v1/events` into `events.events`, and judges each event against
Stripe's own copy. `processed_events` applies the valid ones to the raw layer
and runs the registered handlers. Every failure is a row of
`events.event_processing_exceptions`.
"""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb

from pipeline.defs.assets.raw import raw_key
from pipeline.defs.conflicts import retried_on_conflict
from pipeline.defs.first_month import first_month
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.events.fetch import SdkLookup
from pipeline.events.health import counts_by_status_and_type, event_health
from pipeline.events.ingest import ingest_landing
from pipeline.events.processing import process_pending
from pipeline.events.schema import ensure_schema
from pipeline.events.sweep import counts_by
from pipeline.events.sync import sync_events
from pipeline.events.table import ingest_listed
from pipeline.events.validate import validate_pending
from pipeline.raw.purge_register import PurgeRegister
from pipeline.raw.warehouse import open_warehouse

SYNC = dg.AssetKey(["events", "event_sync"])
VALIDATED = dg.AssetKey(["events", "validated_events"])
PROCESSED = dg.AssetKey(["events", "processed_events"])
MAX_INVALID_SHARE = 0.01


def _connect(warehouse: WarehouseResource) -> duckdb.DuckDBPyConnection:
    conn = open_warehouse(warehouse.warehouse)
    ensure_schema(conn)
    return conn


@dg.asset(key=SYNC, group_name="events", kinds={"stripe", "parquet", "duckdb"},
          pool="warehouse")  # fmt: skip
@retried_on_conflict
def event_sync(
    context: dg.AssetExecutionContext, stripe: StripeResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Events listed since the newest one taken in (a few seconds of overlap), so that
    changes to objects created long ago reach the raw layer. A cursor older than the
    events API's 30 days means events were lost: every month is listed again first."""
    result = asyncio.run(
        sync_events(stripe.http_config(), warehouse.raw, warehouse.warehouse,
                    first_month(stripe, warehouse.state_dir), stripe.now())
    )  # fmt: skip
    if result.relisted_months:
        context.log.warning(
            f"Event cursor {result.cursor} is older than Stripe's 30-day event retention: "
            f"re-listed {len(result.relisted_months)} months of every object"
        )
    return dg.MaterializeResult(
        metadata={
            "cursor_before": dg.MetadataValue.text(str(result.cursor)),
            "event_months": dg.MetadataValue.text(", ".join(result.event_months)),
            "relisted_months": dg.MetadataValue.int(len(result.relisted_months)),
            "events_listed": dg.MetadataValue.int(result.events_listed),
        }
    )


@dg.asset(key=VALIDATED, group_name="events", kinds={"stripe", "duckdb"},
          deps=[raw_key("events"), SYNC], pool="warehouse")  # fmt: skip
@retried_on_conflict
def validated_events(
    context: dg.AssetExecutionContext, stripe: StripeResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Every event received by webhook or listed, one row per id in `events.events`,
    judged by Stripe's copy fetched by id: valid, object_newer, deleted, forged, not_found;
    every distinct delivered body held to that copy (`events.event_deliveries`)."""
    with _connect(warehouse) as conn:
        landed = ingest_landing(conn, Path(warehouse.data_dir))
        listed = ingest_listed(conn)
        purged = PurgeRegister(Path(warehouse.data_dir)).customer_ids()
        lookup = SdkLookup(stripe.sdk_client())
        verdicts = validate_pending(conn, lookup, stripe.now(), purged=purged)
        statuses = counts_by(conn, "validation_status")
        deliveries = dict(
            conn.execute(
                "select verdict, count(*) from events.event_deliveries group by 1 order by 1"
            ).fetchall()
        )
    context.log.info(f"Landed {landed.events}, listed {listed}, judged {dict(verdicts)}")
    return dg.MaterializeResult(
        metadata={
            "landed_deliveries": dg.MetadataValue.int(landed.events),
            "new_delivery_bodies": dg.MetadataValue.int(landed.deliveries),
            "unreadable_landed": dg.MetadataValue.int(landed.unreadable),
            "refused_deliveries": dg.MetadataValue.int(landed.rejections),
            "listed_events": dg.MetadataValue.int(listed),
            "verdicts_this_run": dg.MetadataValue.json(dict(verdicts)),
            "events_by_validation_status": dg.MetadataValue.json(statuses),
            "deliveries_by_verdict": dg.MetadataValue.json(deliveries),
        }
    )


@dg.asset(key=PROCESSED, group_name="events", kinds={"duckdb", "parquet"},
          deps=[VALIDATED], pool="warehouse")  # fmt: skip
@retried_on_conflict
def processed_events(
    context: dg.AssetExecutionContext, stripe: StripeResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Valid events applied to the raw layer (latest snapshot wins) and dispatched once
    to the handlers registered per event type (`pipeline.events.handlers`)."""
    with _connect(warehouse) as conn:
        outcome = process_pending(conn, warehouse.raw, SdkLookup(stripe.sdk_client()))
        by_status = counts_by_status_and_type(conn)
    context.log.info(f"Processing: {dict(outcome)}")
    return dg.MaterializeResult(
        metadata={
            "outcome_this_run": dg.MetadataValue.json(dict(outcome)),
            "events_by_status_and_type": dg.MetadataValue.json(by_status),
        }
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec("invalid_share", asset=PROCESSED,
                          description=f"At most {MAX_INVALID_SHARE:.0%} forged or unprovable."),
        dg.AssetCheckSpec("no_backlog", asset=PROCESSED,
                          description="Every valid event is processed."),
        dg.AssetCheckSpec("no_new_exceptions", asset=PROCESSED,
                          description="No open exception from the last day."),
    ],
    pool="warehouse",
)  # fmt: skip
def event_health_checks(warehouse: WarehouseResource):
    """Health of the event stream, from the events table and its exceptions log."""
    with _connect(warehouse) as conn:
        health = event_health(conn, since=datetime.now(UTC) - timedelta(days=1))
    share = round(health.invalid_share, 4)
    yield dg.AssetCheckResult(
        check_name="invalid_share", asset_key=PROCESSED, passed=share <= MAX_INVALID_SHARE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"invalid": health.invalid, "events": health.events, "share": share},
    )  # fmt: skip
    yield dg.AssetCheckResult(
        check_name="no_backlog", asset_key=PROCESSED, passed=health.backlog == 0,
        severity=dg.AssetCheckSeverity.WARN, metadata={"backlog": health.backlog},
    )  # fmt: skip
    yield dg.AssetCheckResult(
        check_name="no_new_exceptions", asset_key=PROCESSED, passed=health.new_exceptions == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"open": health.open_exceptions, "new": health.new_exceptions},
    )  # fmt: skip
