"""A subscription schedule books a plan change for the next period, then lets go.

Through the stripe SDK against the sandbox over HTTP: each schedule's first
phase is the price its subscription had, its second an upgrade; once the
second phase has started, the subscription bills its price; a released
schedule names the subscription it released; staging holds every schedule.
"""

from __future__ import annotations

import duckdb
import pytest
import stripe


@pytest.fixture(scope="module")
def client(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


@pytest.fixture(scope="module")
def schedules(client) -> list:
    return list(client.v1.subscription_schedules.list({"limit": 100}).auto_paging_iter())


def test_schedules_book_an_upgrade_that_the_subscription_then_bills(client, schedules):
    assert schedules
    for schedule in schedules:
        first, second = schedule.phases
        assert first.end_date == second.start_date, schedule.id
        old = client.v1.prices.retrieve(first.items[0].price)
        new = client.v1.prices.retrieve(second.items[0].price)
        assert new.unit_amount > old.unit_amount and new.currency == old.currency
        sub_id = schedule.subscription or schedule.released_subscription
        subscription = client.v1.subscriptions.retrieve(sub_id)
        if schedule.status == "active":
            assert subscription.schedule == schedule.id
            started = schedule.current_phase.start_date >= second.start_date
            price = subscription["items"].data[0].price.id
            assert price == (new.id if started else old.id), schedule.id
        else:
            assert schedule.status in ("released", "canceled")
            assert subscription.schedule != schedule.id
        if schedule.status == "released":
            assert schedule.subscription is None and schedule.released_at == second.end_date


def test_staging_has_every_schedule(built_warehouse, schedules):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        rows = con.execute(
            "select subscription_schedule_id, status, last_phase_price_id"
            " from staging.stg_stripe__subscription_schedules where account_id is null"
        ).fetchall()
    expected = {(s.id, s.status, s.phases[-1].items[0].price) for s in schedules}
    assert set(rows) == expected
