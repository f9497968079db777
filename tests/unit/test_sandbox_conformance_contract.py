"""What the conformance suite reads from the pinned SDK (with `ast`, nothing executed)."""

from __future__ import annotations

from stripe_sandbox.conformance.matching import Rule, matches, number_at, rule_for, values_at
from stripe_sandbox.conformance.sdk_contract import expansions, list_params
from stripe_sandbox.conformance.sdk_endpoints import sdk_get_endpoints

ENDPOINTS = sdk_get_endpoints()


def params(path: str) -> dict:
    return {p.name: p for p in list_params(ENDPOINTS[path])}


def test_endpoints_name_their_params_and_item_classes():
    lines = ENDPOINTS["/v1/invoices/{id}/lines"]
    assert (lines.is_list, lines.item_class) == (True, "InvoiceLineItem")
    retrieve = ENDPOINTS["/v1/charges/{id}"]
    assert (retrieve.is_list, retrieve.params_class) == (False, "ChargeRetrieveParams")
    assert "/v1/balance" in ENDPOINTS and "/v1/transfers/{id}/reversals" in ENDPOINTS


def test_list_params_with_enums_ranges_hashes_arrays_and_docs():
    subscriptions = params("/v1/subscriptions")
    status = subscriptions["status"]
    assert {"all", "ended", "canceled"} <= set(status.enum)
    assert "not been canceled are returned" in status.doc
    assert subscriptions["current_period_end"].kind == "range"
    assert "limit" not in subscriptions and "expand" not in subscriptions
    payments = params("/v1/invoice_payments")
    assert payments["payment[type]"].enum == ("payment_intent", "payment_record")
    assert params("/v1/products")["ids"].kind == "array"
    assert params("/v1/events")["delivery_success"].kind == "bool"
    assert params("/v1/payouts")["status"].enum == ()  # the SDK lists no values


def test_expansions_at_any_depth_and_includable_lists():
    charge = {e.path: e for e in expansions(ENDPOINTS["/v1/charges"])}
    assert charge["payment_intent"].targets == ("PaymentIntent",)
    assert charge["transfer_data.destination"].targets == ("Account",)
    assert charge["refunds"].includable and not charge["customer"].includable
    subscription = {e.path for e in expansions(ENDPOINTS["/v1/subscriptions"])}
    assert "latest_invoice" in subscription
    assert not any(p.startswith("status_details.paused.subscription") for p in subscription)
    invoice = {e.path: e for e in expansions(ENDPOINTS["/v1/invoices"])}
    assert invoice["payments"].includable and "discounts" in invoice
    assert "total_tax_amounts" not in {p.split(".")[0] for p in invoice}  # not in this version


def test_matching_walks_lists_and_aggregates():
    sub = {"status": "active", "items": {"data": [
        {"price": {"id": "price_a"}, "current_period_end": 20},
        {"price": {"id": "price_b"}, "current_period_end": 10}]}}  # fmt: skip
    assert values_at(sub, "items.data.price.id") == ["price_a", "price_b"]
    assert matches(sub, rule_for("/v1/subscriptions", "price"), ("price_b",))
    assert not matches(sub, rule_for("/v1/subscriptions", "price"), ("price_c",))
    assert number_at(sub, rule_for("/v1/subscriptions", "current_period_end")) == 10
    assert rule_for("/v1/prices", "recurring[interval]") == Rule("recurring.interval")
    assert matches({"invoice": None}, rule_for("/v1/invoiceitems", "pending"), ("true",))
