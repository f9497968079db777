"""The Dagster job that purges a customer (the UI's counterpart of `python -m pipeline.purge`)."""

import os
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from pipeline.purge.apply import purge_customer
from pipeline.resources import WarehouseResource
from pipeline.serving.publish import publish_marts


class PurgeConfig(dg.Config):
    """The customer whose personal and card data go; ids and amounts stay."""

    customer_id: str


@dg.op
def purge_and_republish(
    context: dg.OpExecutionContext,
    config: PurgeConfig,
    warehouse: WarehouseResource,
    dbt: DbtCliResource,
) -> dict:
    data_dir = Path(warehouse.data_dir)
    rewritten = purge_customer(data_dir, warehouse.warehouse, config.customer_id)
    os.environ["WAREHOUSE_PATH"] = str(warehouse.warehouse.resolve())
    dbt.cli(["build"], raise_on_error=True).wait()
    publish_marts(warehouse.warehouse, data_dir / "marts.duckdb", data_dir / "marts")
    context.log.info(f"Purged {config.customer_id}: raw partitions rewritten {rewritten}")
    return rewritten


@dg.job(tags={"dagster/concurrency_key": "warehouse"})
def purge_customer_job():
    """Purge a customer from raw, DuckDB and marts; recorded, and kept on re-extraction."""
    purge_and_republish()
