"""Raw assets: one per Stripe object, monthly partitions of `created`, one limiter.

They are materialized by a single multi-asset step so that every object listed
in a run shares one rate limiter (Stripe's limits are per account, not per
endpoint of ours); any subset of them can be selected, and any range of months
runs as one step (`BackfillPolicy.single_run`).
"""

import asyncio
from collections.abc import Iterator

import dagster as dg

from pipeline.catalog import raw_description, raw_tables
from pipeline.defs.assets.balance import BALANCE_SNAPSHOTS_KEY
from pipeline.defs.first_month import first_month
from pipeline.defs.partitions import monthly_partitions
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.raw.loader import JobDone, extract_to_raw


def raw_key(table: str) -> dg.AssetKey:
    """The key dbt's `stripe` source uses too, so Dagster draws one lineage."""
    return dg.AssetKey(["stripe", table])


def raw_spec(table: str) -> dg.AssetSpec:
    """The asset of one raw table, described by the catalogue."""
    return dg.AssetSpec(
        raw_key(table),
        description=raw_description(table)
        + " Parquet under data/raw/stripe/, table raw_stripe."
        + table
        + "; partitioned by the UTC month of `created`.",
        group_name="raw",
        kinds={"stripe", "parquet", "duckdb"},
        partitions_def=monthly_partitions,
        skippable=True,
        deps=[BALANCE_SNAPSHOTS_KEY],  # listed after the snapshot, in a run holding both
    )


def raw_specs() -> list[dg.AssetSpec]:
    """One asset per catalogue raw table, keyed `["stripe", table]`."""
    return [raw_spec(t) for t in raw_tables()]


@dg.multi_asset(
    name="stripe_raw",
    specs=raw_specs(),
    can_subset=True,
    partitions_def=monthly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="warehouse",
)
def stripe_raw(
    context: dg.AssetExecutionContext, stripe: StripeResource, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """List the selected objects for the selected months and replace their partitions."""
    tables = [key.path[-1] for key in context.selected_asset_keys]
    first = first_month(stripe, warehouse.state_dir)
    months = [m for m in context.partition_keys if m >= first]
    skipped = len(context.partition_keys) - len(months)
    context.log.info(f"Extracting {len(tables)} objects × {len(months)} months"
                     + (f" ({skipped} before the account's first month {first} skipped)"
                        if skipped else ""))  # fmt: skip

    def progress(job: JobDone) -> None:
        left = (job.total - job.done) * job.seconds / job.done
        context.log.info(
            f"{job.done}/{job.total} {job.object_name} {job.month}: {job.rows} rows "
            f"({job.seconds:.0f} s, about {left:.0f} s left)"
        )

    results = asyncio.run(
        extract_to_raw(
            stripe.http_config(), tables, months, warehouse.raw,
            warehouse.warehouse, on_job_done=progress,
        )
    )  # fmt: skip
    for table, result in results.items():
        stats = result.stats
        yield dg.MaterializeResult(
            asset_key=raw_key(table),
            metadata={
                "rows": dg.MetadataValue.int(result.rows),
                "months": dg.MetadataValue.int(len(result.months)),
                "pages": dg.MetadataValue.int(stats.pages),
                "requests": dg.MetadataValue.int(stats.requests),
                "rate_limited_429s": dg.MetadataValue.int(stats.rate_limited),
                "retries": dg.MetadataValue.int(stats.retries),
                "bytes": dg.MetadataValue.int(stats.bytes),
                "seconds": dg.MetadataValue.float(round(stats.seconds, 2)),
                "objects_per_second": dg.MetadataValue.float(
                    round(stats.objects / stats.seconds, 1) if stats.seconds else 0.0
                ),
            },
        )
