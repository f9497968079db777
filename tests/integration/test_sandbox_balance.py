"""`GET /v1/balance` agrees with the account's balance transactions, per currency.

Stripe's balance is the running sum of the account's balance transactions:
`available` sums the nets of the available ones, `pending` of the pending
ones. Checked through the real `stripe` SDK, with the transactions listed
over HTTP, for the platform and for every connected account.
"""

from __future__ import annotations

from collections import Counter

import pytest
import stripe
from stripe_reference import fixture_resources

from stripe_sandbox.generator import ensure_account
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta


@pytest.fixture(scope="module", params=["small", "small_multicurrency"])
def served(request, tmp_path_factory):
    path = ensure_account(request.param, data_dir=tmp_path_factory.mktemp(request.param))
    with SandboxServer(path) as server:
        client = stripe.StripeClient(server.api_key, base_addresses={"api": server.base_url})
        yield request.param, client, read_meta(open_reader(path))


def ledger_sums(client, options) -> dict[str, Counter]:
    """Per status, per currency: the sum of the nets of every listed transaction."""
    sums: dict[str, Counter] = {"available": Counter(), "pending": Counter()}
    listing = client.v1.balance_transactions.list({"limit": 100}, options)
    for txn in listing.auto_paging_iter():
        sums[txn.status][txn.currency] += txn.net
    return sums


def shown(funds) -> Counter:
    return Counter({f.currency: f.amount for f in funds})


def accounts(meta) -> list[str | None]:
    return [None, *meta["connected_accounts"].split(",")]


def test_balance_is_the_sum_of_available_and_pending_transactions(served):
    preset, client, meta = served
    for account in accounts(meta):
        options = {"stripe_account": account} if account else None
        balance = client.v1.balance.retrieve(options=options)
        sums = ledger_sums(client, options)
        assert balance.object == "balance" and balance.livemode is False
        for status in ("available", "pending"):
            funds = getattr(balance, status)
            expected = sums[status]
            assert +shown(funds) == +expected, (preset, account, status)
            assert set(expected) <= {f.currency for f in funds}
            for f in funds:
                assert f.amount == expected[f.currency]
                assert f.source_types["card"] == f.amount
        if account is None:
            assert sums["pending"], "the platform's charges of the last two days are pending"


def test_platform_balance_has_its_settled_currencies_and_connect_reserved(served):
    preset, client, meta = served
    settled = ["usd"] if preset == "small" else ["usd", "eur"]
    balance = client.v1.balance.retrieve()
    assert [f.currency for f in balance.available] == settled
    assert [f.currency for f in balance.pending] == settled
    assert [r.currency for r in balance.connect_reserved] == settled
    for account in meta["connected_accounts"].split(","):
        connected = client.v1.balance.retrieve(options={"stripe_account": account})
        assert len(connected.available) == 1 and "connect_reserved" not in connected


def test_balance_has_stripes_shape(served):
    _, client, meta = served
    example = fixture_resources()["balance"]
    platform = client.v1.balance.retrieve().to_dict()
    assert set(platform) == set(example)
    assert set(platform["available"][0]) == set(example["available"][0])
    assert set(platform["connect_reserved"][0]) == set(example["connect_reserved"][0])
    account = meta["connected_accounts"].split(",")[0]
    connected = client.v1.balance.retrieve(options={"stripe_account": account}).to_dict()
    assert set(connected) == set(example) - {"connect_reserved"}
