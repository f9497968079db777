"""What the sandbox deliberately does not do that Stripe does, in one place.

Expansion gaps name the SDK class of the objects the account does not hold:
an id pointing at one is accepted by `expand[]` and left as the id, where
Stripe would return the object; a few paths are named one by one.
Parameter gaps (a nested list's filters) are answered with a 400
invalid_request_error naming the parameter. Anything the probe finds that
is neither honoured nor listed here fails.
"""

from __future__ import annotations

UNHELD_OBJECTS: dict[str, str] = {
    "Mandate": "bank debit setup intents name their mandate by id; mandates are not stored",
    "Discount": "discounts are named by id on subscriptions, invoices and lines (no list "
    "serves them); their objects come with `customer.discount.*` events",
    "Application": "the Connect application that earns fees is an id only",
    "BankAccount": "payout destinations (external accounts) are ids only",
    "Card": "payout destinations (external accounts) are ids only",
}
"""SDK class → why the sandbox leaves ids of it unexpanded."""

EXPANSION_GAPS: dict[str, str] = {
    "/v1/transfers/{id}/reversals destination_payment_refund": (
        "the generator names a refund (pyr_) of the destination payment in the connected "
        "account but does not write it there yet"
    ),
}
"""`"<endpoint> <path>"` → why an id there stays an id though its class is served."""

PARAMETER_GAPS: dict[str, str] = {
    "/v1/setup_intents attach_to_self": (
        "the account's setup intents all save customers' payment methods; none is attached "
        "to the account itself (Treasury flows)"
    ),
    "/v1/subscription_schedules scheduled": (
        "every schedule the account books starts at once (its first phase is the current "
        "period), so none is `not_started`; the filter is refused rather than answered empty"
    ),
    "/v1/customers/{id}/balance_transactions created": (
        "a customer's balance transactions are served as a nested list in creation order; "
        "it takes no filters (the pipeline lists them whole)"
    ),
    "/v1/customers/{id}/balance_transactions invoice": (
        "a customer's balance transactions are served as a nested list in creation order; "
        "it takes no filters (the pipeline lists them whole)"
    ),
}
"""`"<endpoint> <param>"` → why the sandbox refuses a documented parameter (400)."""


def unheld(targets: tuple[str, ...]) -> bool:
    """Every class an expandable field may hold is one the account does not hold."""
    return bool(targets) and all(t in UNHELD_OBJECTS for t in targets)
