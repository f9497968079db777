"""The main job end to end: real Dagster runs over the real sandbox, then dbt."""

import dagster as dg
import duckdb
import stripe

from pipeline.catalog import BY_NAME, raw_tables


def test_every_listed_object_lands_exactly_once(pipeline_run):
    client = stripe.StripeClient(
        pipeline_run.sandbox.api_key, base_addresses={"api": pipeline_run.sandbox.base_url}
    )
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        for name in ("customers", "subscriptions", "charges", "invoices", "payouts",
                     "balance_transactions"):  # fmt: skip
            params = {"limit": 100, **dict(BY_NAME[name].list_params)}  # subscriptions: status=all
            expected = {o.id for o in getattr(client.v1, name).list(params).auto_paging_iter()}
            rows = con.execute(
                f"select id, count(*) from raw_stripe.{name} where not is_deleted group by id"
            ).fetchall()
            assert {r[0] for r in rows} == expected, name
            assert all(r[1] == 1 for r in rows), f"{name}: an id landed twice"


def test_every_raw_table_and_the_marts_exist(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        tables = {
            (s, t)
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        for table in raw_tables():
            assert ("raw_stripe", table) in tables
        marts = {t for s, t in tables if s == "marts"}
        assert {"customers", "charges", "transfers", "transfers_monthly"} <= marts
        assert con.execute("select count(*) from marts.transfers_monthly").fetchone()[0] > 0


def test_marts_carry_row_counts_and_no_embedded_image(pipeline_run):
    key = dg.AssetKey(["marts", "transfers_monthly"])
    event = pipeline_run.instance.get_latest_materialization_event(key)
    metadata = event.asset_materialization.metadata
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        rows = con.execute("select count(*) from marts.transfers_monthly").fetchone()[0]
    assert metadata["dagster/row_count"].value == rows
    assert not [k for k, v in metadata.items() if isinstance(v, dg.MarkdownMetadataValue)]
