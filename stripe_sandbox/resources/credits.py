"""Credit notes and their lines, and the customer balance they credit."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

CREDIT_RESOURCES: tuple[Resource, ...] = (
    Resource(
        "credit_notes",
        "credit_note",
        "cn_",
        "/v1/credit_notes",
        filters=("customer", "invoice"),
        expandable=("customer", "customer_balance_transaction", "invoice"),
    ),
    Resource(
        "credit_note_line_items",
        "credit_note_line_item",
        "cnli_",
        "/v1/credit_notes/{parent}/lines",
        has_created=False,
        parent="credit_notes",
    ),
    Resource(
        "customer_balance_transactions",
        "customer_balance_transaction",
        "cbtxn_",
        "/v1/customers/{parent}/balance_transactions",
        has_created=False,  # `created` and `invoice` are listed gaps of the nested list
        parent="customers",
    ),
)
