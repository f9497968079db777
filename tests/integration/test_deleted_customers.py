"""A customer deleted in Stripe leaves the listing; its charges keep its id. The asset
`stripe/deleted_customers` retrieves it (Stripe answers the `{id, object, deleted}` stub)
and keeps it as a deleted customer, so no reference dangles; an id Stripe does not know
stays dangling, counted.

A copy of the small account in which Stripe deleted one customer with charges (its row in
the sandbox's store marked deleted, as the sandbox's generator stores deletions), served
by a sandbox of its own, over a copy of the pipeline's warehouse: the customer's month is
listed again, then the asset runs, then dbt builds.
"""

from __future__ import annotations

import json
import shutil
import sqlite3

import dagster as dg
import duckdb
import pytest
import stripe

from pipeline.cli.main_job import Target, run_resources
from pipeline.defs.assets.dbt import stripe_dbt_models
from pipeline.defs.assets.deleted_customers import deleted_customers
from pipeline.defs.assets.raw import raw_key, stripe_raw
from pipeline.months import month_of
from stripe_sandbox.running import SandboxServer

pytestmark = pytest.mark.slow


def customer_with_charges(warehouse) -> tuple[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("""
            select c.id, c.created from raw_stripe.customers c
            join raw_stripe.charges ch on ch.obj.customer = c.id
            where not c.is_deleted and c.account is null
            group by all order by count(*) desc, c.id limit 1
        """).fetchone()  # fmt: skip


@pytest.fixture(scope="module")
def deleted_in_stripe(pipeline_run, small_account, tmp_path_factory):
    """(customer id, resources, warehouse, the sandbox) after Stripe deleted the customer,
    its month was listed again and `deleted_customers` ran once."""
    folder = tmp_path_factory.mktemp("deleted_customer")
    customer, created = customer_with_charges(pipeline_run.warehouse)
    account = folder / small_account.name
    shutil.copyfile(small_account, account)
    with sqlite3.connect(account) as store:
        store.execute("update stored_objects set deleted = 1 where id = ?", [customer])
    data = folder / "data"
    shutil.copytree(pipeline_run.data_dir, data, ignore=shutil.ignore_patterns("*.wal"))
    with SandboxServer(account) as server:
        resources = run_resources(Target(server.api_key, server.base_url, server), data)
        listed = dg.materialize([stripe_raw], selection=[raw_key("customers")],
                                partition_key=month_of(created), resources=resources)  # fmt: skip
        assert listed.success
        with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
            held = con.execute("select count(*) from raw_stripe.customers where id = ?",
                               [customer]).fetchone()[0]  # fmt: skip
        assert held == 0, "a listing keeps only the customers Stripe lists"
        first = dg.materialize([deleted_customers], resources=resources)
        yield customer, resources, data / "warehouse.duckdb", server, first


def test_the_deleted_customer_is_retrieved_and_kept_as_deleted(deleted_in_stripe):
    customer, _, warehouse, server, first = deleted_in_stripe
    metadata = first.asset_materializations_for_node("stripe__deleted_customers")[0].metadata
    assert metadata["deleted_stored"].value == 1 and metadata["unknown_to_stripe"].value == 0
    stub = stripe.StripeClient(server.api_key, base_addresses={"api": server.base_url})
    assert stub.v1.customers.retrieve(customer).to_dict() == {
        "id": customer, "object": "customer", "deleted": True}  # fmt: skip
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("select source, is_deleted, payload from raw_stripe.customers"
                          " where id = ?", [customer]).fetchall()  # fmt: skip
    stub = {"id": customer, "object": "customer", "deleted": True}
    assert [(s, d, json.loads(p)) for s, d, p in row] == [("retrieve", True, stub)]


def test_a_second_run_retrieves_nothing_again(deleted_in_stripe):
    _, resources, _, _, _ = deleted_in_stripe
    again = dg.materialize([deleted_customers], resources=resources)
    metadata = again.asset_materializations_for_node("stripe__deleted_customers")[0].metadata
    assert metadata["deleted_stored"].value == 0


def test_the_marts_hold_it_as_deleted_and_nothing_dangles(deleted_in_stripe):
    customer, resources, warehouse, _, _ = deleted_in_stripe
    assert dg.materialize([stripe_dbt_models], resources=resources).success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute("select is_deleted, is_retrieved_as_deleted, created_at, email"
                           " from marts.customers where customer_id = ?",
                           [customer]).fetchall()  # fmt: skip
        charges = con.execute("select count(*) from marts.charges where customer_id = ?",
                              [customer]).fetchone()[0]  # fmt: skip
        dangling = con.execute("select reference from marts.dangling_references"
                               " where is_dangling").fetchall()  # fmt: skip
    assert kept == [(True, True, None, None)]
    assert charges > 0
    assert dangling == []


def test_an_id_stripe_does_not_know_is_counted_and_left_dangling(deleted_in_stripe):
    _, resources, warehouse, _, _ = deleted_in_stripe
    with duckdb.connect(str(warehouse)) as con:  # a charge of a customer Stripe never had
        con.execute("update raw_stripe.charges set payload = json_merge_patch(payload, "
                    "'{\"customer\": \"cus_NeverExisted0\"}') where id = (select min(id)"
                    " from raw_stripe.charges where account is null)")  # fmt: skip
    unknown = dg.materialize([deleted_customers], resources=resources)
    metadata = unknown.asset_materializations_for_node("stripe__deleted_customers")[0].metadata
    assert (metadata["unknown_to_stripe"].value, metadata["deleted_stored"].value) == (1, 0)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        held = con.execute("select count(*) from raw_stripe.customers"
                           " where id = 'cus_NeverExisted0'").fetchone()[0]  # fmt: skip
    assert held == 0
