"""The objects of the first version: customers to balance transactions, and events."""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, ListDefault, StripeObject, event_types
from pipeline.catalog.typed_fields import (
    BALANCE_TRANSACTION_FIELDS,
    CHARGE_FIELDS,
    CUSTOMER_FIELDS,
    DISPUTE_FIELDS,
    EVENT_FIELDS,
    INVOICE_FIELDS,
    INVOICE_LINE_FIELDS,
    INVOICE_PAYMENT_FIELDS,
    INVOICEITEM_FIELDS,
    PAYOUT_FIELDS,
    PRICE_FIELDS,
    PRODUCT_FIELDS,
    REFUND_FIELDS,
    SUBSCRIPTION_FIELDS,
    TRANSFER_FIELDS,
)

TEST_CLOCK = ListDefault(
    "test_clock",
    "objects of a test clock are left out unless `test_clock` names the clock",
    "accepted",
    "test clocks exist in test mode only, never in live mode; their objects are "
    "simulations listed clock by clock. Their charges and invoices are still listed, "
    "and point at what is missing: `dangling_references` counts them",
)
DELETED = "deleted {} are never listed (only events and retrieve recall them)"

CORE_OBJECTS: tuple[StripeObject, ...] = (
    StripeObject(
        "customers", "customer", "cus_", "/v1/customers",
        filters=("email",), expandable=("default_source",), deletable=True,
        list_defaults=(TEST_CLOCK,), sdk_list_params="CustomerListParams",
        event_types=event_types("customer", "created", "updated", "deleted"),
        listing_note=DELETED.format("customers"), typed=CUSTOMER_FIELDS,
    ),
    StripeObject(
        "products", "product", "prod_", "/v1/products", filters=("active",), deletable=True,
        sdk_list_params="ProductListParams",
        event_types=event_types("product", "created", "updated", "deleted"),
        listing_note="`active` has no default: active and inactive products are both listed; "
        + DELETED.format("products"),
        typed=PRODUCT_FIELDS,
    ),
    StripeObject(
        "prices", "price", "price_", "/v1/prices",
        filters=("active", "product", "currency", "type"), expandable=("product",),
        sdk_list_params="PriceListParams",
        event_types=event_types("price", "created", "updated", "deleted"),
        listing_note="`active` and `type` have no default: every price is listed",
        typed=PRICE_FIELDS,
    ),
    StripeObject(
        "subscriptions", "subscription", "sub_", "/v1/subscriptions",
        filters=("customer", "status", "price"),
        expandable=("customer", "latest_invoice", "default_payment_method"),
        list_params=(("status", "all"),),
        list_defaults=(
            ListDefault(
                "status",
                "if no value is supplied, all subscriptions that have not been canceled "
                "are returned",
                "sent",
                "`all` returns every status, canceled ones (of deleted customers too) "
                "included; invoices and events refer to them",
            ),
            TEST_CLOCK,
        ),
        sdk_list_params="SubscriptionListParams",
        event_types=event_types(
            "customer.subscription", "created", "updated", "deleted", "paused", "resumed",
            "pending_update_applied", "pending_update_expired", "trial_will_end"
        ),
        listing_note="with status=all every subscription but those of test clocks",
        typed=SUBSCRIPTION_FIELDS,
    ),
    StripeObject(
        "invoices", "invoice", "in_", "/v1/invoices",
        filters=("customer", "status", "subscription"), expandable=("customer", "payments"),
        sdk_list_params="InvoiceListParams",
        event_types=event_types(
            "invoice", "created", "updated", "finalized", "finalization_failed", "paid",
            "payment_succeeded", "payment_failed", "payment_action_required",
            "payment_attempt_required", "marked_uncollectible", "voided", "sent", "overdue",
            "overpaid", "will_be_due", "deleted"
        ),
        listing_note="`status` has no default: drafts, open, paid, uncollectible and void "
        "are all listed; deleted drafts are gone",
        children=(
            ChildTable(
                "invoice_line_items", "/v1/invoices/{parent}/lines", "parent_created",
                lists="invoice_line_items", embedded="lines",
                description="Invoice lines: embedded in invoices, or paged from "
                "/v1/invoices/{id}/lines when an invoice has more than are embedded.",
                typed=INVOICE_LINE_FIELDS,
            ),
        ),
        typed=INVOICE_FIELDS,
    ),
    StripeObject(
        "invoice_line_items", "line_item", "il_", "/v1/invoices/{parent}/lines",
        has_created=False, parent="invoices", sdk_list_params="InvoiceListLinesParams",
        listing_note="no filter: every line of the invoice",
    ),
    StripeObject(
        "invoice_payments", "invoice_payment", "inpay_", "/v1/invoice_payments",
        filters=("invoice", "status"), expandable=("invoice",),
        sdk_list_params="InvoicePaymentListParams",
        event_types=event_types("invoice_payment", "paid"),
        listing_note="`status` has no default: open, paid and canceled payments are listed",
        typed=INVOICE_PAYMENT_FIELDS,
    ),
    StripeObject(
        "invoiceitems", "invoiceitem", "ii_", "/v1/invoiceitems",
        filters=("customer", "invoice"), expandable=("customer", "invoice"),
        deletable=True, created_field="date", sdk_list_params="InvoiceItemListParams",
        event_types=event_types("invoiceitem", "created", "deleted"),
        listing_note="`pending` unspecified applies no filter: pending and invoiced items "
        "are both listed; " + DELETED.format("invoice items"),
        typed=INVOICEITEM_FIELDS,
    ),
    StripeObject(
        "charges", "charge", "ch_", "/v1/charges",
        filters=("customer", "payment_intent"), expandable=("balance_transaction", "customer"),
        sdk_list_params="ChargeListParams",
        event_types=event_types(
            "charge", "succeeded", "failed", "pending", "captured", "expired", "refunded", "updated"
        ),
        listing_note="no default filter (only `transfer_group` limits a list, to 100)",
        typed=CHARGE_FIELDS,
    ),
    StripeObject(
        "refunds", "refund", "re_", "/v1/refunds",
        filters=("charge", "payment_intent"), expandable=("balance_transaction", "charge"),
        sdk_list_params="RefundListParams", listing_note="no default filter",
        event_types=(
            *event_types("refund", "created", "updated", "failed"),
            *event_types("charge.refund", "updated"),
        ),
        typed=REFUND_FIELDS,
    ),
    StripeObject(
        "disputes", "dispute", "du_", "/v1/disputes",
        filters=("charge", "payment_intent"), expandable=("charge",),
        sdk_list_params="DisputeListParams", listing_note="no default filter",
        event_types=event_types(
            "charge.dispute", "created", "updated", "closed", "funds_withdrawn", "funds_reinstated"
        ),
        typed=DISPUTE_FIELDS,
    ),
    StripeObject(
        "payouts", "payout", "po_", "/v1/payouts",
        filters=("status", "arrival_date"), expandable=("balance_transaction",),
        sdk_list_params="PayoutListParams",
        event_types=event_types(
            "payout", "created", "updated", "paid", "failed", "canceled", "reconciliation_completed"
        ),
        listing_note="`status` has no default: pending, paid, failed and canceled are listed",
        children=(
            ChildTable(
                "payout_balance_transactions", "/v1/balance_transactions", "payout_bridge",
                lists="balance_transactions", parent_param="payout", only_if="automatic",
                columns=(("payout_id", "string"), ("balance_transaction_id", "string")),
                description="The payout ↔ balance transaction bridge, listed with ?payout= "
                "for each automatic payout (manual payouts cannot be itemized).",
                typed=BALANCE_TRANSACTION_FIELDS,
            ),
        ),
        typed=PAYOUT_FIELDS,
    ),
    StripeObject(
        "transfers", "transfer", "tr_", "/v1/transfers",
        filters=("destination", "transfer_group"), expandable=("balance_transaction",),
        sdk_list_params="TransferListParams", listing_note="no default filter",
        event_types=event_types("transfer", "created", "updated", "reversed"),
        description="Connect transfers to connected accounts, with their reversals.",
        typed=TRANSFER_FIELDS,
    ),
    StripeObject(
        "balance_transactions", "balance_transaction", "txn_", "/v1/balance_transactions",
        filters=("payout", "type", "source", "currency"), expandable=("source",),
        sdk_list_params="BalanceTransactionListParams",
        listing_note="no default filter; `payout` itemizes automatic payouts only",
        typed=BALANCE_TRANSACTION_FIELDS,
    ),
)  # fmt: skip

EVENTS = StripeObject(
    "events", "event", "evt_", "/v1/events", filters=("type", "types"),
    sdk_list_params="EventListParams",
    listing_note="no default filter; Stripe keeps events 30 days, older ones are not listed",
    typed=EVENT_FIELDS,
)  # fmt: skip
