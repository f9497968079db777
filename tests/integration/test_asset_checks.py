"""The reconciliation tests are asset checks of their marts; marts carry their columns as built."""

import dagster as dg

from pipeline.defs.column_schemas import COLUMN_SCHEMA

TRANSFERS_MONTHLY = dg.AssetKey(["marts", "transfers_monthly"])


def test_a_reconciliation_test_is_an_asset_check_of_its_mart_and_passes(pipeline_run):
    check = dg.AssetCheckKey(TRANSFERS_MONTHLY, "assert_transfers_monthly_equals_sum_of_transfers")
    latest = pipeline_run.instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [check]
    )
    assert check in latest, "the reconciliation test was not recorded as an asset check"
    evaluation = latest[check].event.asset_check_evaluation
    assert evaluation.passed


def test_a_mart_materialization_lists_its_columns_with_types_and_descriptions(pipeline_run):
    event = pipeline_run.instance.get_latest_materialization_event(TRANSFERS_MONTHLY)
    schema = event.asset_materialization.metadata[COLUMN_SCHEMA].value
    columns = {column.name: column for column in schema.columns}
    assert columns["month"].type == "VARCHAR"
    assert columns["total_amount"].type in {"BIGINT", "HUGEINT", "INTEGER"}
    assert "bank" in columns["month"].description
