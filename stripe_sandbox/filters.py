"""What each documented list parameter filters on, per resource, as data.

A parameter reads either the indexed `object_filters` rows the generator
writes for `Resource.filters` (`row`), or a field of the stored JSON body
(`field`, a dotted path; with `items`, any element of that array, or its
min/max for a range). Enum values, aliases (`status=all`) and defaults
(subscriptions leave out canceled ones) are as Stripe documents them for
the API version the sandbox renders. A resource missing here filters by
equality on its `Resource.filters` rows (`params_of`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListParam:
    """One list parameter and how an object matches it."""

    name: str  # as sent: "status", "payment[type]", "ids"
    row: str = ""  # name of the object's `object_filters` rows
    field: str = ""  # or a dotted path into the body: "recurring.interval"
    kind: str = "equal"  # equal | bool | range | is_null | is_zero | pattern (`*` wildcards)
    array: bool = False  # sent as `name[]=a&name[]=b`: any of them
    enum: tuple[str, ...] = ()  # Stripe's allowed values (aliases included)
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # value → values it means; () = any
    default_excludes: tuple[str, ...] = ()  # left out when the parameter is not sent
    items: str = ""  # an array of the body: match any element (min/max for ranges)
    aggregate: str = ""  # "min" or "max" of `field` over `items`, for ranges


def row(name: str, **kw) -> ListParam:
    return ListParam(name, row=name, **kw)


def field(name: str, path: str = "", **kw) -> ListParam:
    return ListParam(name, field=path or name, **kw)


COLLECTION = ("charge_automatically", "send_invoice")
SUBSCRIPTION_STATUS = ("active", "all", "canceled", "ended", "incomplete", "incomplete_expired",
                       "past_due", "paused", "trialing", "unpaid")  # fmt: skip

PAYMENT_METHOD_TYPES = (
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "alma", "amazon_pay", "au_becs_debit",
    "bacs_debit", "bancontact", "billie", "bizum", "blik", "boleto", "card", "cashapp", "crypto",
    "custom", "customer_balance", "eps", "fpx", "giropay", "grabpay", "ideal", "kakao_pay",
    "klarna", "konbini", "kr_card", "link", "mb_way", "mobilepay", "multibanco", "naver_pay",
    "nz_bank_account", "oxxo", "p24", "pay_by_bank", "payco", "paynow", "paypal", "paypay",
    "payto", "pix", "promptpay", "revolut_pay", "samsung_pay", "satispay", "scalapay",
    "sepa_debit", "sequra", "sofort", "sunbit", "swish", "twint", "upi", "us_bank_account",
    "wechat_pay", "zip",
)  # fmt: skip
PARAMS: dict[str, tuple[ListParam, ...]] = {
    "customers": (row("email"), field("test_clock")),
    "products": (
        row("active", kind="bool"),
        field("ids", "id", array=True),
        field("shippable", kind="bool"),
        field("type", enum=("good", "service")),
        field("url"),
    ),
    "prices": (
        row("active", kind="bool"),
        row("currency"),
        field("lookup_keys", "lookup_key", array=True),
        row("product"),
        field("recurring[interval]", "recurring.interval", enum=("day", "month", "week", "year")),
        field("recurring[meter]", "recurring.meter"),
        field("recurring[usage_type]", "recurring.usage_type", enum=("licensed", "metered")),
        row("type", enum=("one_time", "recurring")),
    ),
    "subscriptions": (
        field("automatic_tax[enabled]", "automatic_tax.enabled", kind="bool"),
        field("collection_method", enum=COLLECTION),
        field("current_period_end", kind="range", items="items.data", aggregate="min"),
        field("current_period_start", kind="range", items="items.data", aggregate="max"),
        row("customer"),
        field("customer_account"),
        field("plan", "plan.id", items="items.data"),
        row("price"),
        row(
            "status",
            enum=SUBSCRIPTION_STATUS,
            default_excludes=("canceled",),
            aliases=(("all", ()), ("ended", ("canceled", "incomplete_expired"))),
        ),
        field("test_clock"),
    ),
    "invoices": (
        field("collection_method", enum=COLLECTION),
        row("customer"),
        field("customer_account"),
        field("due_date", kind="range"),
        row("status", enum=("draft", "open", "paid", "uncollectible", "void")),
        row("subscription"),
    ),
    "invoice_payments": (
        row("invoice"),
        field("payment[payment_intent]", "payment.payment_intent"),
        field("payment[payment_record]", "payment.payment_record"),
        field("payment[type]", "payment.type", enum=("payment_intent", "payment_record")),
        row("status", enum=("canceled", "open", "paid")),
    ),
    "invoiceitems": (
        row("customer"),
        field("customer_account"),
        row("invoice"),
        field("pending", "invoice", kind="is_null"),  # pending: not yet on an invoice
    ),
    "charges": (row("customer"), row("payment_intent"), field("transfer_group")),
    "promotion_codes": (
        row("active", kind="bool"),
        field("code"),
        field("coupon", "promotion.coupon"),
        field("customer"),
        field("customer_account"),
    ),
    "tax_rates": (row("active", kind="bool"), row("inclusive", kind="bool")),
    "subscription_schedules": (
        field("canceled_at", kind="range"),
        field("completed_at", kind="range"),
        row("customer"),
        field("customer_account"),
        field("released_at", kind="range"),
    ),
    "credit_notes": (row("customer"), field("customer_account"), row("invoice")),
    "refunds": (row("charge"), row("payment_intent")),
    "disputes": (row("charge"), row("payment_intent")),
    "payment_methods": (
        field("allow_redisplay", enum=("always", "limited", "unspecified")),
        row("customer"),
        field("customer_account"),
        row("type", enum=PAYMENT_METHOD_TYPES),
    ),
    "setup_intents": (row("customer"), field("customer_account"), row("payment_method")),
    "checkout_sessions": (
        row("customer"),
        field("customer_account"),
        field("customer_details[email]", "customer_details.email"),
        row("payment_intent"),
        field("payment_link"),
        row("status", enum=("complete", "expired", "open")),
        field("subscription"),
    ),
    "payment_intents": (row("customer"), field("customer_account")),
    "payouts": (row("arrival_date", kind="range"), field("destination"), row("status")),
    "transfers": (row("destination"), row("transfer_group")),
    "balance_transactions": (row("currency"), row("payout"), row("source"), row("type")),
    "topups": (
        field("amount", kind="range"),
        row("status", enum=("canceled", "failed", "pending", "succeeded")),
    ),
    "events": (
        field("delivery_success", "pending_webhooks", kind="is_zero"),  # every webhook delivered
        row("type", kind="pattern"),  # `*` is a wildcard: `invoice.*`
        ListParam("types", row="type", kind="pattern", array=True),
    ),
}


def params_of(resource) -> dict[str, ListParam]:
    """A resource's list parameters by name (besides paging, `created` and `expand`)."""
    found = PARAMS.get(resource.name) or tuple(row(name) for name in resource.filters)
    return {param.name: param for param in found}
