"""Declarative automation: the models and the published marts follow what they read.

After a raw month is extracted (by a schedule, a backfill or the Launchpad) or events
are processed, the sensor requests the dbt models downstream of it, then publishing.
It is running as soon as `make ui` starts the daemon: it never calls Stripe, it only
rebuilds from what the warehouse already holds.
"""

import dagster as dg

from pipeline.defs.dbt_translator import FOLLOWS_UPSTREAM

automation_sensor = dg.AutomationConditionSensorDefinition(
    "marts_follow_raw",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Rebuilds the dbt models, then publishes the marts, when anything they read"
    " is updated (a raw month extracted, events processed).",
)


def following_upstream(asset: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """The asset, rebuilt by the sensor when anything it reads is updated."""
    return asset.map_asset_specs(
        lambda spec: spec.replace_attributes(automation_condition=FOLLOWS_UPSTREAM)
    )
