"""The balance snapshot asset: `GET /v1/balance` once per run, before the raw listing."""

import asyncio
from datetime import UTC, datetime

import dagster as dg

from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.extract.balance import fetch_balance, funds_by_currency
from pipeline.extract.errors import StripeApiError
from pipeline.raw.balance_snapshots import snapshot_row, write_snapshot

BALANCE_SNAPSHOTS_KEY = dg.AssetKey(["stripe", "balance_snapshots"])
NO_BALANCE_READ = (401, 403)
"""A key that may not read the balance (a restricted key): no snapshot, not a failure."""


@dg.asset(
    key=BALANCE_SNAPSHOTS_KEY,
    group_name="raw",
    kinds={"stripe", "duckdb"},
    pool="warehouse",
)
def balance_snapshots(
    context: dg.AssetExecutionContext, stripe: StripeResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """What Stripe holds now per currency (`GET /v1/balance`: available, pending,
    connect_reserved, minor units), one row per run in raw_stripe.balance_snapshots
    (Parquet under data/raw/stripe/balance_snapshots/). Taken before the raw listing,
    it anchors the balance reports: `taken_at` is Stripe's "now" (the sandbox clock
    on the sandbox). A key without balance read leaves no row and says so."""
    config = stripe.http_config()
    taken_at = datetime.fromtimestamp(stripe.now(), UTC)
    try:
        balance = asyncio.run(fetch_balance(config))
    except StripeApiError as exc:
        if exc.status not in NO_BALANCE_READ:
            raise
        context.log.warning(f"Balance snapshot not taken: {exc}")
        return dg.MaterializeResult(
            metadata={"snapshot_taken": False, "reason": dg.MetadataValue.text(str(exc))}
        )
    row = snapshot_row(
        balance, taken_at=taken_at, extracted_at=datetime.now(UTC),
        account=config.stripe_account, api_version=config.api_version,
    )  # fmt: skip
    write_snapshot(row, warehouse.raw, warehouse.warehouse)
    metadata: dict[str, dg.RawMetadataValue] = {
        "snapshot_taken": True,
        "snapshot_id": row["snapshot_id"],
        "taken_at": row["taken_at"].isoformat(),
    }
    for currency, funds in sorted(funds_by_currency(balance).items()):
        metadata[f"{currency}_available"] = dg.MetadataValue.int(funds["available"])
        metadata[f"{currency}_pending"] = dg.MetadataValue.int(funds["pending"])
    return dg.MaterializeResult(metadata=metadata)
