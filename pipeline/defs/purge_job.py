"""The Dagster job that purges a customer (in the UI; `python -m pipeline.cli.purge` in a shell)."""

from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from pipeline.defs.conflicts import retried_on_conflict
from pipeline.defs.pools import whole_warehouse_tags
from pipeline.defs.resources import WarehouseResource
from pipeline.purge.apply import purge_customer
from pipeline.purge.guard import PurgeRefused
from pipeline.raw.declared import declare_raw_tables
from pipeline.serving.publish import publish_marts


class PurgeConfig(dg.Config):
    """The customer whose personal and card data go; ids and amounts stay."""

    customer_id: str
    force: bool = False  # purge a well-formed id the warehouse has never seen


@dg.op
@retried_on_conflict
def purge_and_republish(
    context: dg.OpExecutionContext,
    config: PurgeConfig,
    warehouse: WarehouseResource,
    dbt: DbtCliResource,
) -> dict:
    data_dir = Path(warehouse.data_dir)
    try:
        result = purge_customer(
            data_dir, warehouse.warehouse, config.customer_id, force=config.force
        )
    except PurgeRefused as refused:
        raise dg.Failure(description=f"purge refused: {refused}") from None
    declare_raw_tables(warehouse.warehouse)  # a purge before any extraction builds too
    dbt.cli(["build", *warehouse.dbt_vars()], raise_on_error=True).wait()
    publish_marts(warehouse.warehouse, data_dir / "marts.duckdb", data_dir / "marts")
    context.log.info(f"Purged {config.customer_id}: {result}")
    return {"partitions": result.partitions, "events": result.events,
            "landing_lines": result.landing_lines}  # fmt: skip


@dg.job(tags=whole_warehouse_tags())
def purge_customer_job():
    """Purge a customer from raw, DuckDB and marts; recorded, and kept on re-extraction."""
    purge_and_republish()
