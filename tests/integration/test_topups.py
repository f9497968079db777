"""Top-ups of the platform's balance, as Stripe shows them and as the warehouse keeps them.

Through the real `stripe` SDK against the `small` sandbox: every status Stripe
lists is there; each top-up that moved money has its `topup` balance
transaction (reporting category `topup`) and a returned one its
`topup_reversal`; a canceled one moved none. `marts.topups` holds the same.
"""

from __future__ import annotations

import duckdb
import pytest
import stripe


@pytest.fixture(scope="module")
def client(sandbox):
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


@pytest.fixture(scope="module")
def topups(client) -> list:
    return list(client.v1.topups.list({"limit": 100}).auto_paging_iter())


def moved(client, topup) -> dict[str, int]:
    """Balance transaction type → amount, of the platform's transactions of a top-up."""
    txns = client.v1.balance_transactions.list({"source": topup.id}).data
    return {t.type: t.amount for t in txns}


def test_top_ups_have_every_status_and_move_money_through_the_balance(client, topups):
    assert {t.status for t in topups} == {"succeeded", "pending", "failed", "canceled"}
    for status in ("succeeded", "failed"):
        listed = client.v1.topups.list({"status": status}).data
        assert listed and all(t.status == status for t in listed)
    for topup in topups:
        assert client.v1.topups.retrieve(topup.id).to_dict() == topup.to_dict()
        txns = moved(client, topup)
        if topup.status == "canceled":
            assert topup.balance_transaction is None and txns == {}
            continue
        txn = client.v1.balance_transactions.retrieve(topup.balance_transaction)
        assert (txn.type, txn.reporting_category, txn.source) == ("topup", "topup", topup.id)
        assert (txn.amount, txn.currency, txn.fee) == (topup.amount, topup.currency, 0)
        assert txn.available_on == topup.expected_availability_date
        assert txn.status == ("pending" if topup.status == "pending" else "available")
        if topup.status == "failed":
            assert topup.failure_code and txns == {"topup": topup.amount,
                                                   "topup_reversal": -topup.amount}  # fmt: skip
        else:
            assert txns == {"topup": topup.amount}


def test_the_topups_mart_is_what_stripe_lists(client, topups, built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        rows = con.execute(
            "select topup_id, status, amount, currency, amount_added, amount_reversed, net_amount"
            " from marts.topups"
        ).fetchall()
    expected = []
    for topup in topups:
        txns = moved(client, topup)
        added, back = txns.get("topup", 0), -txns.get("topup_reversal", 0)
        expected.append(
            (topup.id, topup.status, topup.amount, topup.currency, added, back, added - back)
        )
    assert sorted(rows) == sorted(expected)
