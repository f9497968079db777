"""Credit notes and their lines, and the customer balance they credit.

Every list parameter was read in the pinned SDK's `CreditNoteListParams`,
`CreditNoteListLinesParams` and `CustomerListBalanceTransactionsParams`:
none documents a default that leaves objects out (issued and void notes are
both listed). Customer balance transactions have no list of their own: they
are listed per customer, and sent with no event of their own (the customer's
`balance` changes with a `customer.updated`).
"""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, StripeObject, event_types
from pipeline.catalog.typed_fields import Fields

CREDIT_NOTE_LINE_FIELDS: Fields = {
    "id": "varchar",
    "amount": "bigint",
    "description": "varchar",
    "discount_amount": "bigint",
    "invoice_line_item": "varchar",
    "livemode": "boolean",
    "quantity": "bigint",
    "type": "varchar",
    "unit_amount": "bigint",
}  # fmt: skip
CREDIT_NOTE_FIELDS: Fields = {
    "amount": "bigint",
    "currency": "varchar",
    "customer": "varchar",
    "customer_balance_transaction": "varchar",
    "discount_amount": "bigint",
    "effective_at": "bigint",
    "invoice": "varchar",
    "livemode": "boolean",
    "memo": "varchar",
    "number": "varchar",
    "out_of_band_amount": "bigint",
    "post_payment_amount": "bigint",
    "pre_payment_amount": "bigint",
    "reason": "varchar",
    "refunds": [{"amount_refunded": "bigint", "refund": "varchar", "type": "varchar"}],
    "status": "varchar",
    "subtotal": "bigint",
    "total": "bigint",
    "type": "varchar",
    "voided_at": "bigint",
}  # fmt: skip
CUSTOMER_BALANCE_TRANSACTION_FIELDS: Fields = {
    "id": "varchar",
    "amount": "bigint",
    "created": "bigint",
    "credit_note": "varchar",
    "currency": "varchar",
    "customer": "varchar",
    "description": "varchar",
    "ending_balance": "bigint",
    "invoice": "varchar",
    "livemode": "boolean",
    "type": "varchar",
}  # fmt: skip

CREDIT_OBJECTS: tuple[StripeObject, ...] = (
    StripeObject(
        "credit_notes", "credit_note", "cn_", "/v1/credit_notes",
        filters=("customer", "invoice"),
        expandable=("customer", "customer_balance_transaction", "invoice"),
        sdk_list_params="CreditNoteListParams",
        listing_note="no filter but `created`, `customer` and `invoice`, none with a default: "
        "issued and void credit notes are both listed",
        event_types=event_types("credit_note", "created", "updated", "voided"),
        children=(
            ChildTable(
                "credit_note_line_items", "/v1/credit_notes/{parent}/lines", "parent_id",
                lists="credit_note_line_items", embedded="lines",
                columns=(("credit_note_id", "string"),),
                description="Credit note lines: embedded in credit notes (`lines`), or paged "
                "from /v1/credit_notes/{id}/lines when a note has more than are embedded.",
                typed=CREDIT_NOTE_LINE_FIELDS,
            ),
        ),
        description="Credit notes of invoices: pre-payment (lowering what is due) and "
        "post-payment (a refund of the invoice's charge or a customer balance credit).",
        typed=CREDIT_NOTE_FIELDS,
    ),
    StripeObject(
        "credit_note_line_items", "credit_note_line_item", "cnli_",
        "/v1/credit_notes/{parent}/lines", has_created=False, parent="credit_notes",
        sdk_list_params="CreditNoteListLinesParams",
        listing_note="no filter: every line of the credit note",
    ),
    StripeObject(
        "customer_balance_transactions", "customer_balance_transaction", "cbtxn_",
        "/v1/customers/{parent}/balance_transactions", has_created=False, parent="customers",
        sdk_list_params="CustomerListBalanceTransactionsParams",
        listing_note="listed per customer; `created` and `invoice` have no default: every "
        "transaction of the customer. Deleted customers' transactions are not listed",
    ),
)  # fmt: skip
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

CREDIT_CHILDREN: dict[str, tuple[ChildTable, ...]] = {
    "customers": (
        ChildTable(
            "customer_balance_transactions", "/v1/customers/{parent}/balance_transactions",
            "parent_created", lists="customer_balance_transactions",
            description="Customer balance transactions (credit notes credited to the balance, "
            "adjustments, credit applied to invoices), listed for every customer; rows carry "
            "the customer's month.",
            typed=CUSTOMER_BALANCE_TRANSACTION_FIELDS,
        ),
    ),
}  # fmt: skip
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""
