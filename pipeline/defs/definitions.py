"""The Dagster code location: Stripe → raw → staging → marts → serving."""

from __future__ import annotations

import os

import dagster as dg

from pipeline.defs.assets.dbt import dbt_cli, stripe_dbt_models
from pipeline.defs.assets.events import (
    event_health_checks,
    event_sync,
    processed_events,
    validated_events,
)
from pipeline.defs.assets.raw import stripe_raw
from pipeline.defs.assets.serving import published_marts
from pipeline.defs.event_jobs import process_events_job, reprocess_events, webhook_deliveries
from pipeline.defs.purge_job import purge_customer_job
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.defs.schedules import (
    daily_refresh,
    extract_raw_job,
    monthly_close,
    refresh_warehouse_job,
)


def _env(name: str) -> dg.EnvVar | None:
    """An `EnvVar` when the variable is set: unset ones keep the resource's default."""
    return dg.EnvVar(name) if os.environ.get(name) else None


def _stripe_resource() -> StripeResource:
    settings = {
        "api_key": _env("STRIPE_API_KEY"),
        "api_base": _env("STRIPE_API_BASE"),
        "stripe_account": _env("STRIPE_ACCOUNT"),
        "start_month": _env("STRIPE_START_MONTH"),
        "sandbox_preset": _env("STRIPE_SANDBOX_PRESET"),
    }
    return StripeResource(**{k: v for k, v in settings.items() if v is not None})


defs = dg.Definitions(
    assets=[
        stripe_raw,
        event_sync,
        validated_events,
        processed_events,
        stripe_dbt_models,
        published_marts,
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
    sensors=[webhook_deliveries],
    resources={
        "stripe": _stripe_resource(),
        "warehouse": WarehouseResource(),
        "dbt": dbt_cli(),
    },
)
