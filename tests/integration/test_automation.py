"""Declarative automation: a raw month extracted, the models downstream and publishing follow."""

import dagster as dg

from pipeline.defs.assets.raw import raw_key, stripe_raw
from pipeline.defs.definitions import defs

CHARGES = raw_key("charges")


def requested_keys(result, keys) -> set[dg.AssetKey]:
    return {key for key in keys if result.get_num_requested(key)}


def test_a_raw_month_extracted_requests_the_marts_downstream_of_it_and_publishing(pipeline_run):
    instance = pipeline_run.instance
    graph = defs.resolve_asset_graph()
    before = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert not before.total_requested, "the built warehouse asked for a rebuild of itself"
    extracted = dg.materialize(
        [stripe_raw], selection=[CHARGES], partition_key=pipeline_run.months[-1],
        resources=pipeline_run.resources, instance=instance,
    )  # fmt: skip
    assert extracted.success
    after = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=before.cursor)
    requested = requested_keys(after, graph.get_all_asset_keys())
    assert dg.AssetKey(["marts", "charges"]) in requested
    assert dg.AssetKey(["marts", "charges_monthly"]) in requested
    assert dg.AssetKey(["serving", "published_marts"]) in requested
    reachable = dg.AssetSelection.assets(CHARGES).downstream().resolve(graph)
    assert requested <= reachable, f"requested what charges do not feed: {requested - reachable}"
