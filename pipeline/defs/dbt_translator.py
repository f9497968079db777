"""How each dbt model appears in Dagster: group, owners, tags, automation and freshness.

- Groups and the `layer` tag follow the dbt folders (staging, intermediate, marts);
  the `domain` tag is the folder below (payments, payouts, billing, … ; stripe for staging).
- Owners: a model's own (dbt `meta: {dagster: {owners: [...]}}` or its dbt group's
  owner), else `DEFAULT_OWNERS`.
- Automation: every model is rebuilt when something it reads is updated (a raw month
  extracted, events processed), by the sensor in `pipeline.defs.automation`.
- Freshness: a mart not rebuilt for `MART_FRESHNESS` (the daily refresh plus two hours)
  is stale in the UI.
- A model reading raw customers also follows `stripe/deleted_customers`, which writes
  the deleted customers still referred to into the same raw table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

DEFAULT_OWNERS = ("team:data",)
RAW_CUSTOMERS = dg.AssetKey(["stripe", "customers"])
DELETED_CUSTOMERS = dg.AssetKey(["stripe", "deleted_customers"])

MART_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26))
"""The daily refresh runs every 24 hours; two more for a slow or retried run."""

FOLLOWS_UPSTREAM = dg.AutomationCondition.eager().without(
    ~dg.AutomationCondition.any_deps_missing()
)
"""Eager, except that a raw month never extracted does not hold a model back: the raw
assets are monthly partitions from a fixed start, and dbt builds from what raw holds."""


def layer(props: Mapping[str, Any]) -> str:
    """`staging`, `intermediate` or `marts`: the model's top dbt folder (seeds: staging)."""
    fqn = props.get("fqn", [])
    if props.get("resource_type") == "seed":
        return "staging"
    return fqn[1] if len(fqn) > 2 else "marts"


def domain(props: Mapping[str, Any]) -> str | None:
    """The folder under the layer (`payments`, `payouts`, `reports`, …), if any."""
    fqn = props.get("fqn", [])
    return fqn[2] if len(fqn) > 3 else None


class WarehouseTranslator(DagsterDbtTranslator):
    """The dbt project's models as the warehouse's assets (see the module docstring)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return layer(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        return super().get_owners(dbt_resource_props) or list(DEFAULT_OWNERS)

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        tags = {**super().get_tags(dbt_resource_props), "layer": layer(dbt_resource_props)}
        if area := domain(dbt_resource_props):
            tags["domain"] = area
        return tags

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        return FOLLOWS_UPSTREAM if dbt_resource_props.get("resource_type") == "model" else None

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if any(dep.asset_key == RAW_CUSTOMERS for dep in spec.deps):
            spec = spec.merge_attributes(deps=[DELETED_CUSTOMERS])
        if spec.group_name == "marts" and unique_id.startswith("model."):
            return spec.replace_attributes(freshness_policy=MART_FRESHNESS)
        return spec
