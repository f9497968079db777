"""Raw assets: one per Stripe object, monthly partitions of `created`, one limiter.

They are materialized by a single multi-asset step so that every object listed
in a run shares one rate limiter (Stripe's limits are per account, not per
endpoint of ours); any subset of them can be selected, and any range of months
runs as one step (`BackfillPolicy.single_run`). Each partition's materialization
counts that month's rows in `raw_stripe` (`rows`); the run's own totals are `run_…`.
"""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from pipeline.catalog import raw_description, raw_tables
from pipeline.defs.assets.balance import BALANCE_SNAPSHOTS_KEY
from pipeline.defs.first_month import first_month
from pipeline.defs.partitions import monthly_partitions
from pipeline.defs.resources import StripeResource, WarehouseResource
from pipeline.defs.run_months import is_partitioned_run, months_of_run, partition_metadata
from pipeline.raw.loader import JobDone, TableResult, extract_to_raw
from pipeline.raw.warehouse import open_warehouse


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
) -> Iterator[dg.MaterializeResult | dg.AssetMaterialization]:
    """List the selected objects for the selected months (with no partition chosen, the
    open months) and replace their partitions."""
    tables = [key.path[-1] for key in context.selected_asset_keys]
    first = first_month(stripe, warehouse.state_dir)
    run_months = months_of_run(context, stripe)
    months = [m for m in run_months if m >= first]
    skipped = len(run_months) - len(months)
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
    counts = rows_by_month(warehouse.warehouse, list(results), run_months)
    for table, result in results.items():
        run = run_metadata(result)
        for month in run_months:  # the months skipped before the first hold none
            rows = dg.MetadataValue.int(counts.get((table, month), 0))
            metadata = {"rows": rows, "dagster/row_count": rows, **run}
            yield from partition_metadata(context, raw_key(table), month, metadata)
        # a run with no partition records the asset too: the run's totals are its metadata
        whole_run = None if is_partitioned_run(context) else run
        yield dg.MaterializeResult(asset_key=raw_key(table), metadata=whole_run)


def rows_by_month(warehouse: Path, tables: list[str], months: list[str]) -> dict:
    """`{(table, month): rows}` in `raw_stripe` now, for the months a run replaced."""
    counts: dict[tuple[str, str], int] = {}
    with open_warehouse(warehouse, read_only=True) as con:
        held = {t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw_stripe'"
        ).fetchall()}  # fmt: skip
        for table in (t for t in tables if t in held):
            counts.update(
                ((table, month), rows)
                for month, rows in con.execute(
                    f"select month, count(*) from raw_stripe.{table}"
                    " where month in (select unnest(?)) group by month",
                    [months],
                ).fetchall()
            )
    return counts


def run_metadata(result: TableResult) -> dict[str, dg.MetadataValue]:
    """The whole run's extraction of one table: the same on every partition the run wrote,
    so each name says `run_`; a partition's own count is `rows`."""
    stats = result.stats
    return {
        "run_rows": dg.MetadataValue.int(result.rows),
        "run_months": dg.MetadataValue.int(len(result.months)),
        "run_pages": dg.MetadataValue.int(stats.pages),
        "run_requests": dg.MetadataValue.int(stats.requests),
        "run_rate_limited_429s": dg.MetadataValue.int(stats.rate_limited),
        "run_retries": dg.MetadataValue.int(stats.retries),
        "run_bytes": dg.MetadataValue.int(stats.bytes),
        "run_seconds": dg.MetadataValue.float(round(stats.seconds, 2)),
        "run_objects_per_second": dg.MetadataValue.float(
            round(stats.objects / stats.seconds, 1) if stats.seconds else 0.0
        ),
    }
