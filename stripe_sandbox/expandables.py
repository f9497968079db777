"""What `expand[]` accepts per resource, as data: Stripe's expandable fields.

`EXPANDABLE` holds every path that holds an id Stripe can replace by its
object, at any depth of the object (lists inside it are walked), for the API
version the sandbox renders. `INCLUDED` holds the lists Stripe returns only
when expanded: built from the account (`resource` filtered by `param` = the
object's id), left empty when the account holds no such objects, or already
in the stored body (`embedded`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Included:
    """An includable list: whose items, and how they are found."""

    item: str  # the resource of its items: "invoice_payments"
    param: str = ""  # list parameter naming the parent: "invoice"; "" = nothing to list
    url: str = ""  # the list's `url`, `{id}` the parent's id
    embedded: bool = False  # the stored body carries it already


# fmt: off
EXPANDABLE: dict[str, tuple[str, ...]] = {
    "customers": ("default_source", "invoice_settings.default_payment_method", "test_clock"),
    "products": ("default_price", "tax_code"),
    "prices": ("product",),
    "subscriptions": (
        "application", "automatic_tax.liability.account", "billing_schedules.applies_to.price",
        "cancellation_details.feedback_option", "customer", "default_payment_method",
        "default_source", "discounts", "invoice_settings.account_tax_ids",
        "invoice_settings.issuer.account", "latest_invoice", "on_behalf_of",
        "pending_setup_intent", "pending_update.discounts", "schedule", "test_clock",
        "transfer_data.destination",
    ),
    "invoices": (
        "account_tax_ids", "application", "automatic_tax.liability.account", "customer",
        "default_payment_method", "default_source", "discounts", "from_invoice.invoice",
        "issuer.account", "latest_revision", "on_behalf_of",
        "parent.subscription_details.subscription", "shipping_cost.shipping_rate", "test_clock",
        "total_discount_amounts.discount", "total_pretax_credit_amounts.credit_balance_transaction",
        "total_pretax_credit_amounts.discount",
    ),
    "invoice_line_items": (
        "discount_amounts.discount", "discounts",
        "pretax_credit_amounts.credit_balance_transaction", "pretax_credit_amounts.discount",
        "pricing.price_details.price", "subscription",
    ),
    "invoice_payments": (
        "invoice", "payment.charge", "payment.payment_intent", "payment.payment_record",
    ),
    "invoiceitems": (
        "customer", "discounts", "invoice", "pricing.price_details.price",
        "proration_details.discount_amounts.discount", "test_clock",
    ),
    "charges": (
        "application", "application_fee", "balance_transaction", "customer",
        "failure_balance_transaction", "on_behalf_of", "outcome.rule", "payment_intent",
        "payment_method_details.bancontact.generated_sepa_debit",
        "payment_method_details.bancontact.generated_sepa_debit_mandate",
        "payment_method_details.card.mandate",
        "payment_method_details.ideal.generated_sepa_debit",
        "payment_method_details.ideal.generated_sepa_debit_mandate",
        "payment_method_details.sofort.generated_sepa_debit",
        "payment_method_details.sofort.generated_sepa_debit_mandate",
        "payment_method_details.us_bank_account.mandate", "review", "source_transfer", "transfer",
        "transfer_data.destination",
    ),
    "refunds": (
        "balance_transaction", "charge", "customer", "failure_balance_transaction",
        "payment_intent", "payment_method", "source_transfer_reversal", "transfer_reversal",
    ),
    "disputes": (
        "charge", "evidence.cancellation_policy", "evidence.customer_communication",
        "evidence.customer_signature", "evidence.duplicate_charge_documentation",
        "evidence.receipt", "evidence.refund_policy", "evidence.service_documentation",
        "evidence.shipping_documentation", "evidence.uncategorized_file", "payment_intent",
    ),
    "payouts": (
        "application_fee", "balance_transaction", "destination", "failure_balance_transaction",
        "original_payout", "reversed_by",
    ),
    "transfers": ("balance_transaction", "destination", "destination_payment",
                  "source_transaction"),
    "balance_transactions": ("source",),
    "payment_intents": ("application", "customer", "latest_charge", "on_behalf_of",
                        "payment_method", "payment_record", "review", "source",
                        "transfer_data.destination"),
    "payment_methods": ("card.generated_from.setup_attempt", "customer",
                        "sepa_debit.generated_from.charge",
                        "sepa_debit.generated_from.setup_attempt"),
    "setup_intents": ("application", "customer", "latest_attempt", "mandate", "on_behalf_of",
                      "payment_method", "single_use_mandate"),
    "reviews": ("charge", "payment_intent"),
    "early_fraud_warnings": ("charge", "payment_intent"),
    "checkout_sessions": (
        "automatic_tax.liability.account", "customer", "discounts.coupon",
        "discounts.promotion_code", "invoice", "invoice_creation.invoice_data.account_tax_ids",
        "invoice_creation.invoice_data.issuer.account", "payment_intent", "payment_link",
        "setup_intent", "shipping_cost.shipping_rate", "shipping_options.shipping_rate",
        "subscription",
    ),
    "checkout_session_line_items": ("price.product",),
    "transfer_reversals": ("balance_transaction", "destination_payment_refund", "source_refund",
                           "transfer"),
    "topups": ("balance_transaction", "payment_method"),
    "accounts": ("company.verification.document.back", "company.verification.document.front",
                 "settings.branding.icon", "settings.branding.logo",
                 "settings.invoices.default_account_tax_ids"),
    "application_fees": ("account", "application", "balance_transaction", "charge",
                         "originating_transaction"),
    "fee_refunds": ("balance_transaction", "fee"),
    "credit_notes": (
        "customer", "customer_balance_transaction", "discount_amounts.discount", "invoice",
        "pretax_credit_amounts.credit_balance_transaction", "pretax_credit_amounts.discount",
        "refunds.refund", "shipping_cost.shipping_rate",
    ),
    "credit_note_line_items": (
        "discount_amounts.discount", "pretax_credit_amounts.credit_balance_transaction",
        "pretax_credit_amounts.discount",
    ),
    "customer_balance_transactions": ("checkout_session", "credit_note", "customer", "invoice"),
    "events": (),
}
# fmt: on

EMBEDDED_IN: dict[str, tuple[str, str]] = {
    "trr_": ("transfers", "reversals"),
    "fr_": ("application_fees", "refunds"),
    "si_": ("subscriptions", "items"),
}
"""Id prefix → (resource, list field) of objects stored only inside another's body."""

INCLUDED: dict[str, dict[str, Included]] = {
    "customers": {
        "sources": Included("sources", url="/v1/customers/{id}/sources"),  # none in the account
        "subscriptions": Included("subscriptions", "customer", "/v1/customers/{id}/subscriptions"),
        "tax_ids": Included("tax_ids", url="/v1/customers/{id}/tax_ids"),  # none in the account
    },
    "subscriptions": {"items": Included("subscription_items", embedded=True)},
    "invoices": {
        "lines": Included("invoice_line_items", embedded=True),
        "payments": Included("invoice_payments", "invoice", "/v1/invoice_payments?invoice={id}"),
    },
    "charges": {"refunds": Included("refunds", embedded=True)},
    "checkout_sessions": {  # listed by their session (`parent`), as the nested list is
        "line_items": Included(
            "checkout_session_line_items", url="/v1/checkout/sessions/{id}/line_items"
        ),
    },
    "payment_intents": {  # the intents carry no line items: an empty list
        "amount_details.line_items": Included(
            "payment_intent_amount_details_line_items",
            url="/v1/payment_intents/{id}/amount_details_line_items",
        ),
    },
    "transfers": {"reversals": Included("transfer_reversals", embedded=True)},
    "application_fees": {"refunds": Included("fee_refunds", embedded=True)},
    "credit_notes": {"lines": Included("credit_note_line_items", embedded=True)},
    "accounts": {"external_accounts": Included("external_accounts", embedded=True)},
}
