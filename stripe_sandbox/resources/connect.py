"""Connect and platform money: connected accounts, application fees, transfer reversals, top-ups."""

from __future__ import annotations

from stripe_sandbox.resources.model import Resource

CONNECT_RESOURCES: tuple[Resource, ...] = (
    Resource(
        "application_fees",
        "application_fee",
        "fee_",
        "/v1/application_fees",
        filters=("charge",),
        expandable=("balance_transaction",),
    ),
    Resource("accounts", "account", "acct_", "/v1/accounts"),
    Resource("topups", "topup", "tu_", "/v1/topups", filters=("status",)),
)

EMBEDDED_COUNTS: tuple[str, ...] = ("transfer_reversals", "application_fee_refunds")
"""Objects stored only inside their parent's body (a transfer's `reversals`, a fee's
`refunds`), counted under these names as the platform makes them (meta `count:<name>`)."""
