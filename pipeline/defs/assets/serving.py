"""Serving assets: the marts published for BI tools and analysts."""

from pathlib import Path

import dagster as dg

from pipeline.defs.assets.dbt import stripe_dbt_models
from pipeline.defs.dbt_translator import DEFAULT_OWNERS, MART_FRESHNESS
from pipeline.defs.resources import WarehouseResource
from pipeline.serving.publish import publish_marts


@dg.asset(
    key=["serving", "published_marts"],
    group_name="serving",
    kinds={"duckdb", "parquet"},
    deps=[stripe_dbt_models],
    pool="warehouse",
    owners=list(DEFAULT_OWNERS),
    tags={"layer": "serving"},
    freshness_policy=MART_FRESHNESS,
)
def published_marts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The marts copied into read-only `data/marts.duckdb` and `data/marts/<mart>.parquet`,
    each swapped in whole by a rename, so readers never wait on or see a half-built mart."""
    data_dir = Path(warehouse.data_dir)
    published = publish_marts(warehouse.warehouse, data_dir / "marts.duckdb", data_dir / "marts")
    context.log.info(f"Published {len(published.row_counts)} marts to {published.database}")
    return dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(published.database)),
            "parquet_dir": dg.MetadataValue.path(str(published.parquet_dir)),
            "marts": dg.MetadataValue.int(len(published.row_counts)),
            "row_counts": dg.MetadataValue.json(published.row_counts),
        }
    )
