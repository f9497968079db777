"""Charges settle like Stripe's: converted into the settlement currency unless it is settled.

Through the real `stripe` SDK over HTTP. `small` settles usd only: every eur,
gbp and jpy charge reconciles through a usd balance transaction at its
`exchange_rate`, and every payout is in usd. `small_multicurrency` also
settles eur: eur charges stay eur (no exchange rate) and have eur payouts,
while gbp and jpy still convert to usd.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
import stripe

from stripe_sandbox.generator import ensure_account
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta

MINOR = {"usd": 100, "eur": 100, "gbp": 100, "jpy": 1}
PLAUSIBLE_USD = {"eur": 1.08, "gbp": 1.27, "jpy": 0.0067}  # usd per major unit, roughly


@pytest.fixture(scope="module", params=["small", "small_multicurrency"])
def served(request, tmp_path_factory):
    path = ensure_account(request.param, data_dir=tmp_path_factory.mktemp(request.param))
    with SandboxServer(path) as server:
        client = stripe.StripeClient(server.api_key, base_addresses={"api": server.base_url})
        yield request.param, client, read_meta(open_reader(path))


def every(listing) -> list:
    return list(listing.auto_paging_iter())


def charges_with_transactions(client, options=None) -> list:
    params = {"limit": 100, "expand": ["data.balance_transaction"]}
    return [c for c in every(client.v1.charges.list(params, options)) if c.status == "succeeded"]


def converted_within_a_minor_unit(amount: int, currency: str, txn) -> bool:
    expected = amount * txn.exchange_rate * MINOR[txn.currency] / MINOR[currency]
    return abs(txn.amount - expected) <= 1


def test_charges_settle_in_the_settlement_currency_at_their_exchange_rate(served):
    preset, client, _ = served
    settled = {"usd"} if preset == "small" else {"usd", "eur"}
    seen = defaultdict(int)
    for charge in charges_with_transactions(client):
        txn = charge.balance_transaction
        if charge.currency in settled:
            assert (txn.amount, txn.currency, txn.exchange_rate) == (
                charge.amount, charge.currency, None)  # fmt: skip
            continue
        seen[charge.currency] += 1
        assert txn.currency == "usd", charge.id
        assert converted_within_a_minor_unit(charge.amount, charge.currency, txn), charge.id
        assert abs(txn.exchange_rate / PLAUSIBLE_USD[charge.currency] - 1) < 0.1
        assert {d.currency for d in txn.fee_details} == {"usd"}
        assert "Stripe currency conversion fee" in {d.description for d in txn.fee_details}
    assert set(seen) == {"eur", "gbp", "jpy"} - settled


def test_payouts_exist_only_in_settled_currencies_and_reconcile(served):
    preset, client, _ = served
    payouts = every(client.v1.payouts.list({"limit": 100}))
    assert {p.currency for p in payouts} == ({"usd"} if preset == "small" else {"usd", "eur"})
    for payout in payouts:
        items = every(client.v1.balance_transactions.list({"payout": payout.id, "limit": 100}))
        assert sum(t.net for t in items if t.type != "payout") == payout.amount, payout.id
        assert {t.currency for t in items} == {payout.currency}
    currencies = {t.currency for t in every(client.v1.balance_transactions.list({"limit": 100}))}
    assert currencies == {p.currency for p in payouts}


def test_refunds_of_converted_charges_convert_at_their_own_rate(served):
    _, client, _ = served
    params = {"limit": 100, "expand": ["data.balance_transaction", "data.charge"]}
    converted = 0
    for refund in every(client.v1.refunds.list(params)):
        txn = refund.balance_transaction
        if txn.exchange_rate is None:
            assert (txn.amount, txn.currency) == (-refund.amount, refund.currency)
            continue
        converted += 1
        assert txn.currency == "usd" != refund.currency
        assert converted_within_a_minor_unit(-refund.amount, refund.currency, txn)
    assert converted


def test_connected_accounts_settle_in_their_own_currency(served):
    preset, client, meta = served
    for account in meta["connected_accounts"].split(","):
        options = {"stripe_account": account}
        txns = every(client.v1.balance_transactions.list({"limit": 100}, options))
        (currency,) = {t.currency for t in txns}
        for charge in charges_with_transactions(client, options):
            txn = charge.balance_transaction
            assert txn.currency == currency
            if charge.currency != currency:  # a transfer in the platform's currency
                assert charge.id.startswith("py_") and charge.currency == "usd"
                assert converted_within_a_minor_unit(charge.amount, charge.currency, txn)
        payouts = every(client.v1.payouts.list({"limit": 100}, options))
        assert {p.currency for p in payouts} == {currency}, preset
