"""The months a raw run lists: its partitions, else the open months (launched with no partition).

A run launched from the Launchpad without choosing a partition has no partition
key; it refreshes what the daily schedule would: the previous and the current
month of the account's clock. Each month it lists is still recorded as that
partition's materialization, so the asset's partitions show it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg

from pipeline.defs.resources import StripeResource
from pipeline.months import month_of, previous_month


def is_partitioned_run(context: dg.AssetExecutionContext) -> bool:
    """Whether the run names a partition or a range of them."""
    return context.has_partition_key or context.has_partition_key_range


def open_months(stripe: StripeResource) -> list[str]:
    """The previous and the current month of the account's clock, oldest first."""
    current = month_of(stripe.now())
    return [previous_month(current), current]


def months_of_run(context: dg.AssetExecutionContext, stripe: StripeResource) -> list[str]:
    """The run's partition keys; with none chosen, the open months."""
    return list(context.partition_keys) if is_partitioned_run(context) else open_months(stripe)


def partition_metadata(
    context: dg.AssetExecutionContext, key: dg.AssetKey, month: str, metadata: Mapping[str, Any]
) -> Iterator[dg.AssetMaterialization]:
    """One month's metadata on its partition: added to the run's materialization of it, or,
    in a run with no partition, as that partition's own materialization."""
    if is_partitioned_run(context):
        context.add_asset_metadata(dict(metadata), asset_key=key, partition_key=month)
    else:
        yield dg.AssetMaterialization(asset_key=key, partition=month, metadata=dict(metadata))
