"""Application fees: the platform's cut of its connected accounts' charges, as Stripe shows it.

Through the real `stripe` SDK over HTTP against the `small` account: the
platform lists and retrieves its `application_fee` objects and their
`fee_refund`s; each fee matches the connected account's charge (its
`application_fee`, `application_fee_amount` and an `application_fee` entry in
the charge's balance transaction `fee_details`), and the platform's own
`application_fee` / `application_fee_refund` balance transactions match it
(in usd, converted at their `exchange_rate` when the fee is in eur: `small`
settles usd only).
"""

from __future__ import annotations

import pytest
import stripe
from stripe_reference import fixture_resources

from stripe_sandbox.generator import ensure_account
from stripe_sandbox.running import SandboxServer
from stripe_sandbox.store import open_reader, read_meta


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = ensure_account("small", data_dir=tmp_path_factory.mktemp("fees"))
    with SandboxServer(path) as server:
        client = stripe.StripeClient(server.api_key, base_addresses={"api": server.base_url})
        yield client, read_meta(open_reader(path))


@pytest.fixture(scope="module")
def fees(served):
    client, _ = served
    return list(client.v1.application_fees.list({"limit": 100}).auto_paging_iter())


def test_fees_are_listed_and_retrieved_with_stripes_shape(served, fees):
    client, meta = served
    assert len(fees) > 10
    connected = set(meta["connected_accounts"].split(","))
    for fee in fees:
        assert fee.object == "application_fee" and fee.id.startswith("fee_")
        assert fee.account in connected and fee.application.startswith("ca_")
        assert fee.fee_source.to_dict() == {"charge": fee.charge, "type": "charge"}
        assert fee.originating_transaction is None  # a direct charge on the connected account
        assert client.v1.application_fees.retrieve(fee.id).to_dict() == fee.to_dict()
    by_charge = client.v1.application_fees.list({"charge": fees[0].charge})
    assert [f.id for f in by_charge.data] == [fees[0].id]


def test_each_fee_matches_its_connected_charge(served, fees):
    client, _ = served
    for fee in fees:
        options = {"stripe_account": fee.account}
        charge = client.v1.charges.retrieve(
            fee.charge, {"expand": ["balance_transaction"]}, options
        )
        assert (charge.application_fee, charge.application_fee_amount) == (fee.id, fee.amount)
        assert charge.application == fee.application  # made by the platform's application
        assert charge.currency == fee.currency and fee.created == charge.created
        txn = charge.balance_transaction
        taken = [d for d in txn.fee_details if d.type == "application_fee"]
        assert [(d.amount, d.currency, d.application) for d in taken] == [
            (fee.amount, txn.currency, fee.application)]  # fmt: skip
        assert txn.fee == sum(d.amount for d in txn.fee_details)
        assert fee.amount_refunded == fee.amount * charge.amount_refunded // charge.amount


def test_each_fee_has_its_platform_balance_transaction(served, fees):
    client, _ = served
    for fee in fees:
        txn = client.v1.balance_transactions.retrieve(fee.balance_transaction)
        assert (txn.type, txn.reporting_category, txn.source) == (
            "application_fee", "platform_earning", fee.id)  # fmt: skip
        if fee.currency == "usd":  # the platform settles usd only
            assert (txn.amount, txn.currency, txn.exchange_rate) == (fee.amount, "usd", None)
        else:
            assert txn.currency == "usd" and abs(txn.amount - fee.amount * txn.exchange_rate) <= 1
        assert txn.net == txn.amount and txn.fee == 0


def test_fee_refunds_are_listed_and_debit_the_platform(served, fees):
    client, _ = served
    refunded = [fee for fee in fees if fee.amount_refunded]
    assert refunded and any(fee.refunded for fee in refunded)
    for fee in fees:
        refunds = list(client.v1.application_fees.refunds.list(fee.id).auto_paging_iter())
        assert [r.id for r in refunds] == [r.id for r in fee.refunds.data]
        assert sum(r.amount for r in refunds) == fee.amount_refunded
        assert fee.refunded == (fee.amount_refunded == fee.amount)
        for refund in refunds:
            assert refund.object == "fee_refund" and refund.fee == fee.id
            assert refund.currency == fee.currency
            txn = client.v1.balance_transactions.retrieve(refund.balance_transaction)
            assert (txn.type, txn.reporting_category, txn.source) == (
                "application_fee_refund", "platform_earning_refund", refund.id)  # fmt: skip
            if txn.exchange_rate is None:
                assert (txn.amount, txn.currency) == (-refund.amount, refund.currency)
            else:
                assert abs(txn.amount + refund.amount * txn.exchange_rate) <= 1
            back = client.v1.balance_transactions.list(
                {"source": refund.id}, {"stripe_account": fee.account}
            ).data
            assert [(t.type, t.amount) for t in back] == [("application_fee_refund", refund.amount)]


def test_a_fee_refund_list_pages_like_stripe_and_each_refund_retrieves(served, fees):
    client, _ = served
    fee = next(f for f in fees if f.refunds.data)
    first = client.v1.application_fees.refunds.list(fee.id, {"limit": 1})
    assert first.object == "list" and len(first.data) == 1
    assert first.url == f"/v1/application_fees/{fee.id}/refunds"
    refund = client.v1.application_fees.refunds.retrieve(fee.id, first.data[0].id)
    assert refund.to_dict() == first.data[0].to_dict()
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.application_fees.refunds.retrieve(fee.id, "fr_nope")
    assert missing.value.http_status == 404


def test_the_platform_has_application_fee_events(served, fees):
    client, _ = served
    by_id = {fee.id: fee for fee in fees}
    created = list(client.v1.events.list({"type": "application_fee.created"}).auto_paging_iter())
    assert created and all(e.data.object.id in by_id for e in created)
    assert all("account" not in e for e in created)  # the platform's own events
    refunded = client.v1.events.list({"type": "application_fee.refunded"}).data
    for event in refunded:
        assert event.data.object.amount_refunded > event.data.previous_attributes.amount_refunded


def test_fees_and_fee_refunds_have_exactly_stripes_fields(served, fees):
    example = fixture_resources()
    refunds = [r for fee in fees for r in fee.refunds.data]
    assert refunds
    for fee in fees:
        assert set(fee.to_dict()) == set(example["application_fee"]), fee.id
    for refund in refunds:
        assert set(refund.to_dict()) == set(example["fee_refund"]), refund.id
