"""The Dagster code location: Stripe → raw → events → staging → marts → serving."""

from __future__ import annotations

import dagster as dg

from pipeline.defs.assets.balance import balance_snapshots
from pipeline.defs.assets.dbt import dbt_cli, stripe_dbt_models
from pipeline.defs.assets.deleted_customers import deleted_customers
from pipeline.defs.assets.events import (
    event_health_checks,
    event_sync,
    processed_events,
    validated_events,
)
from pipeline.defs.assets.raw import stripe_raw
from pipeline.defs.assets.serving import published_marts
from pipeline.defs.automation import automation_sensor, following_upstream
from pipeline.defs.event_jobs import process_events_job, reprocess_events, webhook_deliveries
from pipeline.defs.purge_job import purge_customer_job
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.defs.schedules import (
    daily_refresh,
    extract_raw_job,
    monthly_close,
    refresh_warehouse_job,
)
from pipeline.settings import resource_variables_set


def stripe_resource() -> StripeResource:
    """The Stripe resource, each set `STRIPE_*` variable as a Dagster `EnvVar` (shown in
    the UI by name, read at run time, never its value)."""
    variables = resource_variables_set()
    return StripeResource(**{name: dg.EnvVar(var) for name, var in variables.items()})


defs = dg.Definitions(
    assets=[
        balance_snapshots,
        stripe_raw,
        event_sync,
        validated_events,
        processed_events,
        deleted_customers,
        stripe_dbt_models,
        following_upstream(published_marts),
    ],
    asset_checks=[event_health_checks],
    jobs=[
        extract_raw_job,
        refresh_warehouse_job,
        process_events_job,
        reprocess_events,
        purge_customer_job,
    ],
    schedules=[daily_refresh, monthly_close],
    sensors=[webhook_deliveries, automation_sensor],
    resources={
        "stripe": stripe_resource(),
        "warehouse": WarehouseResource(),
        "dbt": dbt_cli(),
    },
)
