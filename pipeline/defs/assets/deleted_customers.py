"""Deleted customers still referred to: retrieved from Stripe after the events are applied."""

import dagster as dg

from pipeline.defs.assets.events import PROCESSED
from pipeline.defs.dbt_translator import DEFAULT_OWNERS, DELETED_CUSTOMERS
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.events.fetch import SdkLookup
from pipeline.raw.deleted_customers import resolve_deleted_customers

EXAMPLES = 5


@dg.asset(key=DELETED_CUSTOMERS, group_name="raw", kinds={"stripe", "parquet", "duckdb"},
          deps=[PROCESSED], pool="warehouse", owners=list(DEFAULT_OWNERS),
          tags={"layer": "raw", "domain": "core"})  # fmt: skip
def deleted_customers(
    context: dg.AssetExecutionContext, stripe: StripeResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Customers that charges, invoices, subscriptions (…) refer to but Stripe no longer
    lists, retrieved by id (`GET /v1/customers/{id}`): those Stripe answers as deleted
    are stored as deleted customers (raw rows with `source='retrieve'`), so their
    references resolve; an id Stripe does not know stays dangling and is counted."""
    found = resolve_deleted_customers(
        warehouse.raw, warehouse.warehouse, SdkLookup(stripe.sdk_client())
    )
    if found.unknown:
        context.log.warning(f"{len(found.unknown)} referred customer ids are unknown to "
                            f"Stripe, e.g. {', '.join(found.unknown[:EXAMPLES])}")  # fmt: skip
    return dg.MaterializeResult(
        metadata={
            "deleted_stored": dg.MetadataValue.int(len(found.deleted)),
            "unknown_to_stripe": dg.MetadataValue.int(len(found.unknown)),
            "not_deleted_not_held": dg.MetadataValue.int(len(found.live)),
            "examples": dg.MetadataValue.text(", ".join(found.deleted[:EXAMPLES])),
        }
    )
