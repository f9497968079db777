"""`make run`: the main job, end to end, on the embedded sandbox unless a key is set.

Extracts every month of every object into the raw layer (one Dagster run),
builds the dbt project (another), and prints what landed next to what the
account holds.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import dagster as dg
import duckdb

from pipeline.assets.dbt import stripe_dbt_models
from pipeline.assets.raw import stripe_raw
from pipeline.definitions import defs
from pipeline.extract_to_raw import raw_tables
from pipeline.partitions import monthly_partitions
from pipeline.resources import StripeResource, WarehouseResource
from pipeline.schedules import partition_range_tags


@dataclass(frozen=True)
class Target:
    """The Stripe account a run reads: an API key and where to send it."""

    api_key: str
    api_base: str | None
    sandbox: object | None = None


@contextlib.contextmanager
def stripe_target() -> Iterator[Target]:
    """Stripe itself when STRIPE_API_KEY is set, else the embedded sandbox."""
    if os.environ.get("STRIPE_API_KEY"):
        yield Target(os.environ["STRIPE_API_KEY"], os.environ.get("STRIPE_API_BASE"))
        return
    from pipeline.sandbox.running import SandboxServer

    print("STRIPE_API_KEY is not set: generating and serving the embedded sandbox account…")
    with SandboxServer.for_preset("default") as sandbox:
        print(f"Embedded Stripe sandbox at {sandbox.base_url}")
        yield Target(sandbox.api_key, sandbox.base_url, sandbox)


def run_resources(target: Target) -> dict[str, object]:
    resources = dict(defs.resources or {})
    unlimited = {"requests_per_second": 200.0, "requests_per_second_per_endpoint": 100.0}
    resources["stripe"] = StripeResource(
        api_key=target.api_key,
        api_base=target.api_base,
        **(unlimited if target.sandbox else {}),
    )
    resources["warehouse"] = WarehouseResource()
    return resources


def extract_everything(
    resources: dict, instance: dg.DagsterInstance, months: list[str] | None = None
) -> None:
    """One Dagster run materializing every raw asset over `months` (all by default)."""
    months = months or monthly_partitions.get_partition_keys()
    print(f"Extracting {months[0]} … {months[-1]} ({len(months)} months)")
    dg.materialize(
        [stripe_raw], resources=resources, instance=instance,
        tags=partition_range_tags(months[0], months[-1]),
    )  # fmt: skip


def build_marts(resources: dict, instance: dg.DagsterInstance) -> None:
    print("Building staging and marts with dbt…")
    dg.materialize([stripe_dbt_models], resources=resources, instance=instance)


def print_counts(warehouse: WarehouseResource, target: Target) -> None:
    expected = _sandbox_counts(target)
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as con:
        print(f"\n{'raw table':32} {'rows':>9} {'in account':>11}")
        for table in raw_tables():
            rows = con.execute(
                f"select count(distinct id) from raw_stripe.{table} where not is_deleted"
            ).fetchone()[0]
            print(f"{table:32} {rows:>9} {expected.get(table, ''):>11}")


def _sandbox_counts(target: Target) -> dict[str, str]:
    if target.sandbox is None:
        return {}
    from pipeline.sandbox.store import open_reader, read_meta

    meta = read_meta(open_reader(target.sandbox.account_path))
    return {k.removeprefix("count:"): v for k, v in meta.items() if k.startswith("count:")}


def main() -> int:
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    instance = instance or dg.DagsterInstance.ephemeral()
    with stripe_target() as target:
        resources = run_resources(target)
        extract_everything(resources, instance)
        build_marts(resources, instance)
        print_counts(resources["warehouse"], target)
    print("\nWarehouse: data/warehouse.duckdb (schemas raw_stripe, staging, marts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
