"""Connect and platform money: connected accounts, application fees, transfer reversals, top-ups."""

from __future__ import annotations

from pipeline.catalog.model import ChildTable, StripeObject, event_types
from pipeline.catalog.typed_fields import Fields

FEE_REFUND_FIELDS: Fields = {
    "amount": "bigint",
    "balance_transaction": "varchar",
    "created": "bigint",
    "currency": "varchar",
    "fee": "varchar",
}  # fmt: skip
APPLICATION_FEE_FIELDS: Fields = {
    "account": "varchar",
    "amount": "bigint",
    "amount_refunded": "bigint",
    "application": "varchar",
    "balance_transaction": "varchar",
    "charge": "varchar",
    "currency": "varchar",
    "fee_source": {"charge": "varchar", "payout": "varchar", "type": "varchar"},
    "livemode": "boolean",
    "originating_transaction": "varchar",
    "refunded": "boolean",
    "refunds": {"data": [{"id": "varchar", **FEE_REFUND_FIELDS}], "has_more": "boolean"},
}  # fmt: skip
TRANSFER_REVERSAL_FIELDS: Fields = {
    "amount": "bigint",
    "balance_transaction": "varchar",
    "created": "bigint",
    "currency": "varchar",
    "destination_payment_refund": "varchar",
    "source_refund": "varchar",
    "transfer": "varchar",
}  # fmt: skip
ACCOUNT_FIELDS: Fields = {
    "business_profile": {"mcc": "varchar", "name": "varchar", "url": "varchar"},
    "business_type": "varchar",
    "capabilities": "json",
    "charges_enabled": "boolean",
    "controller": {"type": "varchar"},
    "country": "varchar",
    "default_currency": "varchar",
    "details_submitted": "boolean",
    "email": "varchar",
    "payouts_enabled": "boolean",
    "requirements": {"disabled_reason": "varchar", "currently_due": ["varchar"]},
    "type": "varchar",
}  # fmt: skip
TOPUP_FIELDS: Fields = {
    "amount": "bigint",
    "balance_transaction": "varchar",
    "currency": "varchar",
    "description": "varchar",
    "expected_availability_date": "bigint",
    "failure_code": "varchar",
    "failure_message": "varchar",
    "livemode": "boolean",
    "statement_descriptor": "varchar",
    "status": "varchar",
    "transfer_group": "varchar",
}  # fmt: skip
NESTED = "no filter: every {} of the {}, newest first"

CONNECT_OBJECTS: tuple[StripeObject, ...] = (
    StripeObject(
        "accounts", "account", "acct_", "/v1/accounts",
        sdk_list_params="AccountListParams",
        listing_note="no filter but `created`: every account connected to the platform "
        "(the platform's own account is not listed)",
        event_types=event_types("account", "updated"),
        description="The platform's connected accounts (Account objects), as Stripe "
        "returned them.",
        typed=ACCOUNT_FIELDS,
    ),
    StripeObject(
        "application_fees", "application_fee", "fee_", "/v1/application_fees",
        filters=("charge",),
        expandable=("account", "application", "balance_transaction", "charge",
                    "originating_transaction"),
        sdk_list_params="ApplicationFeeListParams",
        listing_note="no default filter (`charge` narrows to one charge's fee)",
        event_types=event_types("application_fee", "created", "refunded"),
        description="The platform's application fees on its connected accounts' charges, "
        "their refunds embedded under `refunds`.",
        children=(
            ChildTable(
                "application_fee_refunds", "/v1/application_fees/{parent}/refunds",
                "parent_created", lists="application_fee_refunds", embedded="refunds",
                description="Application fee refunds: embedded in application fees, or paged "
                "from /v1/application_fees/{id}/refunds when a fee has more than are embedded.",
                typed=FEE_REFUND_FIELDS,
            ),
        ),
        typed=APPLICATION_FEE_FIELDS,
    ),
    StripeObject(
        "application_fee_refunds", "fee_refund", "fr_", "/v1/application_fees/{parent}/refunds",
        has_created=False, parent="application_fees",
        sdk_list_params="ApplicationFeeListRefundsParams",
        listing_note=NESTED.format("refund", "fee"),
        event_types=event_types("application_fee.refund", "updated"),
    ),
    StripeObject(
        "topups", "topup", "tu_", "/v1/topups",
        filters=("status",), expandable=("balance_transaction",),
        sdk_list_params="TopupListParams",
        listing_note="`status` and `amount` have no default: canceled, failed, pending and "
        "succeeded top-ups are all listed",
        event_types=event_types("topup", "created", "succeeded", "failed", "canceled", "reversed"),
        description="Top-ups of the platform's balance from its bank account.",
        typed=TOPUP_FIELDS,
    ),
    StripeObject(
        "transfer_reversals", "transfer_reversal", "trr_", "/v1/transfers/{parent}/reversals",
        has_created=False, parent="transfers",
        sdk_list_params="TransferListReversalsParams",
        listing_note=NESTED.format("reversal", "transfer")
        + "; `transfer.reversed` events carry the transfer, not the reversal",
    ),
)  # fmt: skip
"""Objects listed from their own list path (or, with `parent`, through a child table)."""

CONNECT_CHILDREN: dict[str, tuple[ChildTable, ...]] = {
    "transfers": (
        ChildTable(
            "transfer_reversals", "/v1/transfers/{parent}/reversals", "parent_created",
            lists="transfer_reversals", embedded="reversals",
            description="Transfer reversals: embedded in transfers, or paged from "
            "/v1/transfers/{id}/reversals when a transfer has more than are embedded.",
            typed=TRANSFER_REVERSAL_FIELDS,
        ),
    ),
}  # fmt: skip
"""Child tables this domain adds to objects declared elsewhere: parent name → its tables."""
