"""A foreign Stripe account: written by hand from Stripe's own examples, not by our generator.

Every object starts as Stripe's example in fixtures3.json and is varied the way
real accounts vary and our generator never does: an account settling in eur,
guest and failed charges, zero- and three-decimal currencies, pending refunds,
refunds of charges older than the extracted months, one-off invoices, payloads
rendered in an older API version, a deleted customer, manual and failed payouts,
balance transactions of many types (one Stripe has not documented yet), unknown
fields and events of types nobody handles. `build_foreign_account(path)` writes
it with `StoreWriter`; `FOREIGN_START_MONTH` is the first month to extract.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stripe_reference import fixture_resources

from stripe_sandbox.resources import RESOURCES
from stripe_sandbox.store import StoredObject, StoreWriter

API_VERSION = "2026-10-28.endive"
PLATFORM = "acct_1ForeignEurPlatform"
FOREIGN_START_MONTH = "2026-08"
"""Objects of 2026-07 exist in the account but lie before the extracted months."""


def ts(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


CLOCK = ts("2026-10-20T12:00:00")
FILTERS = {r.name: r.filters for r in RESOURCES}


def example(resource: str, /, **fields: Any) -> dict[str, Any]:
    obj = copy.deepcopy(fixture_resources()[resource])
    obj.update(fields)
    return obj


class Account:
    """Collects the account's objects, then writes them in creation order."""

    def __init__(self) -> None:
        self.objects: list[StoredObject] = []
        self.counts: Counter[str] = Counter()

    def put(
        self,
        resource: str,
        obj: dict[str, Any],
        *,
        parent: str | None = None,
        deleted: bool = False,
        **filters: str,
    ) -> dict[str, Any]:
        values = {
            n: str(obj[n]).lower() if isinstance(obj.get(n), bool) else str(obj[n])
            for n in FILTERS[resource]
            if isinstance(obj.get(n), str | int)
        }
        created = obj.get("created") or obj.get("date")
        self.objects.append(
            StoredObject(
                resource,
                obj["id"],
                created,
                json.dumps(obj),
                parent=parent,
                deleted=deleted,
                filters=values | filters,
            )
        )
        if not deleted:
            self.counts[resource] += 1
        return obj

    def write(self, path: Path) -> Path:
        writer = StoreWriter(path)
        writer.add(sorted(self.objects, key=lambda o: o.created))
        writer.set_meta(
            clock=CLOCK,
            seed=0,
            preset="foreign",
            api_version=API_VERSION,
            platform_account=PLATFORM,
            connected_accounts="",
            **{f"count:{r.name}": self.counts[r.name] for r in RESOURCES},
        )
        return writer.close()


def balance_transaction(
    acct: Account,
    txn_id: str,
    type_: str,
    amount: int,
    fee: int,
    created: int,
    source: str | None,
    *,
    rate: float | None = None,
    category: str | None = None,
    payout: str | None = None,
    fee_type: str = "stripe_fee",
) -> dict[str, Any]:
    """A transaction of the eur balance (the account settles in eur)."""
    details = (
        [
            {
                "amount": fee,
                "application": None,
                "currency": "eur",
                "description": "Stripe processing fees",
                "type": fee_type,
            }
        ]
        if fee
        else []
    )
    txn = example(
        "balance_transaction",
        id=txn_id,
        type=type_,
        amount=amount,
        fee=fee,
        net=amount - fee,
        created=created,
        available_on=created + 2 * 86400,
        currency="eur",
        exchange_rate=rate,
        fee_details=details,
        source=source,
        reporting_category=category or type_,
        description=None,
    )
    return acct.put("balance_transactions", txn, **({"payout": payout} if payout else {}))


def charge(
    acct: Account,
    charge_id: str,
    amount: int,
    currency: str,
    created: int,
    *,
    customer: str | None,
    settled: int | None = None,
    rate: float | None = None,
    fee: int = 0,
    payout: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A succeeded charge and its eur transaction (`settled`: its amount in eur cents)."""
    txn_id = f"txn_{charge_id[3:]}"
    obj = example(
        "charge",
        id=charge_id,
        amount=amount,
        amount_captured=amount,
        currency=currency,
        created=created,
        customer=customer,
        captured=True,
        paid=True,
        balance_transaction=txn_id,
        payment_intent=f"pi_{charge_id[3:]}",
        receipt_url=None,
        source=None,
        transfer_data=None,
    )
    obj["refunds"]["url"] = f"/v1/charges/{charge_id}/refunds"
    obj.update(fields)
    acct.put("charges", obj)
    balance_transaction(
        acct,
        txn_id,
        "charge",
        settled if settled is not None else amount,
        fee,
        created,
        charge_id,
        rate=rate,
        payout=payout,
    )
    return obj


def customers(acct: Account) -> None:
    acct.put(
        "customers",
        example(
            "customer",
            id="cus_ForeignZurich",
            created=ts("2026-07-02"),
            currency="chf",
            email="zoë@example.ch",
            name='Zoë "Zizi" Müller-Straße',
            metadata={
                "note": 'she said "ship it" — «vite»',
                "json": '{"a": "b\\"c"}',
                "kanji": "日本語",
            },
            discount=None,
            invoice_settings={
                "custom_fields": None,
                "default_payment_method": None,
                "footer": None,
                "rendering_options": None,
            },
            unknown_future_field={"nested": [1, 2, {"x": None}]},
        ),
    )
    acct.put(
        "customers",
        example(
            "customer",
            id="cus_ForeignNoEmail",
            created=ts("2026-08-05"),
            currency=None,
            discount=None,
            email=None,
            name=None,
        ),
    )
    acct.put(
        "customers",
        example("customer", id="cus_ForeignDeleted", created=ts("2026-08-06"), discount=None),
        deleted=True,
    )


def catalog(acct: Account) -> None:
    acct.put(
        "products",
        example(
            "product",
            id="prod_ForeignPlan",
            created=ts("2026-07-01"),
            default_price="price_ForeignMonthlyEur",
        ),
    )
    price = example(
        "price",
        id="price_ForeignMonthlyEur",
        created=ts("2026-07-01"),
        currency="eur",
        unit_amount=1900,
        unit_amount_decimal="1900",
        product="prod_ForeignPlan",
        type="recurring",
    )
    price["recurring"] = {
        "interval": "month",
        "interval_count": 1,
        "meter": None,
        "usage_type": "licensed",
        "trial_period_days": None,
    }
    acct.put("prices", price)


def subscription(
    acct: Account, sub_id: str, customer: str, status: str, created: int, **fields: Any
) -> dict[str, Any]:
    sub = example(
        "subscription",
        id=sub_id,
        customer=customer,
        status=status,
        created=created,
        currency="eur",
        **({"cancel_at": None, "canceled_at": None, "ended_at": None} | fields),
    )
    item = sub["items"]["data"][0]
    item.update(
        id=f"si_{sub_id[4:]}",
        created=created,
        subscription=sub_id,
        current_period_start=created,
        current_period_end=created + 30 * 86400,
    )
    item["price"] = copy.deepcopy(
        json.loads(next(o.body for o in acct.objects if o.id == "price_ForeignMonthlyEur"))
    )
    sub["items"] = {
        "object": "list",
        "data": [item],
        "has_more": False,
        "url": f"/v1/subscription_items?subscription={sub_id}",
    }
    return acct.put("subscriptions", sub)


def subscriptions(acct: Account) -> None:
    subscription(acct, "sub_ForeignActive", "cus_ForeignZurich", "active", ts("2026-08-10"))
    subscription(
        acct,
        "sub_ForeignCanceled",
        "cus_ForeignNoEmail",
        "canceled",
        ts("2026-08-11"),
        canceled_at=ts("2026-09-01"),
        ended_at=ts("2026-09-01"),
    )
    subscription(
        acct,
        "sub_ForeignExpired",
        "cus_ForeignDeleted",
        "incomplete_expired",
        ts("2026-08-12"),
        ended_at=ts("2026-08-13"),
    )


def line(
    invoice: dict[str, Any],
    line_id: str,
    amount: int,
    parent: dict[str, Any] | None,
    **old_shape: Any,
) -> dict[str, Any]:
    obj = example(
        "line_item",
        id=line_id,
        amount=amount,
        currency=invoice["currency"],
        invoice=invoice["id"],
        parent=parent,
        subtotal=amount,
        subscription=None,
        period={"start": invoice["created"], "end": invoice["created"] + 30 * 86400},
    )
    obj.update(old_shape)
    if old_shape:
        del obj["parent"]
    return obj


def invoice(
    acct: Account,
    invoice_id: str,
    created: int,
    currency: str,
    lines: list[tuple[str, int, dict | None, dict]],
    *,
    customer: str | None,
    subscription_filter: str | None = None,
    drop: tuple[str, ...] = (),
    **fields: Any,
) -> dict[str, Any]:
    total = sum(amount for _, amount, _, _ in lines)
    obj = example(
        "invoice",
        id=invoice_id,
        created=created,
        currency=currency,
        customer=customer,
        amount_due=total,
        amount_paid=total,
        amount_remaining=0,
        subtotal=total,
        subtotal_excluding_tax=total,
        total=total,
        total_excluding_tax=total,
        amount_overpaid=0,
        shipping_cost=None,
        status="paid",
        from_invoice=None,
        last_finalization_error=None,
        period_start=created,
        period_end=created,
        due_date=None,
        effective_at=created,
        webhooks_delivered_at=created,
        status_transitions={
            "finalized_at": created,
            "marked_uncollectible_at": None,
            "paid_at": created + 60,
            "voided_at": None,
        },
    )
    obj.update(fields)
    obj["amount_remaining"] = total - obj["amount_paid"]
    for key in drop:
        del obj[key]
    items = [line(obj, lid, amount, parent, **old) for lid, amount, parent, old in lines]
    obj["lines"] = {
        "object": "list",
        "data": items,
        "has_more": False,
        "url": f"/v1/invoices/{invoice_id}/lines",
    }
    filters = {"subscription": subscription_filter} if subscription_filter else {}
    acct.put("invoices", obj, **filters)
    for item in items:
        acct.objects.append(
            StoredObject(
                "invoice_line_items", item["id"], created, json.dumps(item), parent=invoice_id
            )
        )
        acct.counts["invoice_line_items"] += 1
    return obj


def subscription_parent(sub: str) -> dict[str, Any]:
    return {
        "type": "subscription_item_details",
        "invoice_item_details": None,
        "subscription_item_details": {
            "invoice_item": None,
            "proration": False,
            "proration_details": {"credited_items": None},
            "subscription": sub,
            "subscription_item": f"si_{sub[4:]}",
        },
    }


def invoices(acct: Account) -> None:
    sub = "sub_ForeignActive"
    invoice(
        acct,
        "in_ForeignSubscription",
        ts("2026-08-10T00:05:00"),
        "eur",
        [("il_ForeignSubLine", 1900, subscription_parent(sub), {})],
        customer="cus_ForeignZurich",
        subscription_filter=sub,
        billing_reason="subscription_create",
        parent={
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": sub},
        },
    )
    oneoff_parent = {
        "type": "invoice_item_details",
        "subscription_item_details": None,
        "invoice_item_details": {
            "invoice_item": "ii_ForeignOneOff",
            "proration": False,
            "proration_details": {"credited_items": None},
            "subscription": None,
        },
    }
    invoice(
        acct,
        "in_ForeignOneOff",
        ts("2026-09-03"),
        "chf",
        [("il_ForeignOneOffLine", 5000, oneoff_parent, {})],
        customer="cus_ForeignZurich",
        parent=None,
        billing_reason="manual",
    )
    # Rendered in an older API version: top-level `subscription` and `charge`, no `parent`,
    # lines with `type`, `proration`, `plan` (the deleted customer's expired subscription).
    old = {
        "type": "subscription",
        "proration": False,
        "subscription": "sub_ForeignExpired",
        "subscription_item": "si_ForeignExpired",
        "plan": {
            "id": "price_ForeignMonthlyEur",
            "object": "plan",
            "amount": 1900,
            "currency": "eur",
            "interval": "month",
        },
    }
    invoice(
        acct,
        "in_ForeignOldShape",
        ts("2026-08-12T00:05:00"),
        "eur",
        [("il_ForeignOldLine", 1900, None, old)],
        customer="cus_ForeignDeleted",
        subscription_filter="sub_ForeignExpired",
        subscription="sub_ForeignExpired",
        charge="ch_ForeignDeletedCustomer",
        status="void",
        amount_paid=0,
        drop=("parent",),
    )
    # `customer` is Optional in the SDK's Invoice: an invoice without one.
    invoice(
        acct,
        "in_ForeignNoCustomer",
        ts("2026-09-20"),
        "gbp",
        [("il_ForeignNoCustomerLine", 700, oneoff_parent, {})],
        customer=None,
        parent=None,
        status="open",
        amount_paid=0,
        billing_reason="manual",
    )
    payment = example(
        "invoice_payment",
        id="inpay_ForeignSubscription",
        amount_paid=1900,
        amount_requested=1900,
        created=ts("2026-08-10T00:06:00"),
        currency="eur",
        invoice="in_ForeignSubscription",
        status="paid",
        payment={"type": "charge", "charge": "ch_ForeignSubscription"},
        status_transitions={"canceled_at": None, "paid_at": ts("2026-08-10")},
    )
    acct.put("invoice_payments", payment)
    # the usual shape today: the payment is a PaymentIntent, whose charge paid the invoice
    by_intent = dict(
        payment,
        id="inpay_ForeignOneOff",
        amount_paid=5000,
        amount_requested=5000,
        created=ts("2026-09-03T00:01:00"),
        currency="chf",
        invoice="in_ForeignOneOff",
        payment={"type": "payment_intent", "payment_intent": "pi_ForeignChf"},
    )
    acct.put("invoice_payments", by_intent)


AUTO, FAILED = "po_ForeignAutomatic", "po_ForeignFailed"
CONVERTED = (  # id, amount, currency, eur cents, rate, fee, customer, payout
    ("ch_ForeignGuestUsd", 2000, "usd", 1840, 0.92, 83, None, AUTO),
    ("ch_ForeignChf", 5000, "chf", 5250, 1.05, 100, "cus_ForeignZurich", AUTO),
    (
        "ch_ForeignKrw",
        3_000_000_000,
        "krw",
        204_000_000,
        0.00068,
        5_000_000,
        "cus_ForeignNoEmail",
        AUTO,
    ),
    ("ch_ForeignBhd", 12345, "bhd", 3000, 2.43, 90, "cus_ForeignZurich", AUTO),
    ("ch_ForeignKwd", 5005, "kwd", 1451, 2.9, 50, "cus_ForeignZurich", None),
    ("ch_ForeignHuf", 1_000_000, "huf", 2500, 0.0025, 60, "cus_ForeignZurich", FAILED),
    ("ch_ForeignIsk", 50000, "isk", 330, 0.0066, 30, None, FAILED),
    ("ch_ForeignGbp", 4000, "gbp", 4600, 1.15, 100, "cus_ForeignNoEmail", None),
    # Zimbabwe Gold (ISO 4217 since 2024): a currency our seed does not know yet
    ("ch_ForeignZwg", 100000, "zwg", 3300, 0.033, 40, None, None),
)


def charges(acct: Account) -> None:
    charge(
        acct,
        "ch_ForeignJuly",
        4000,
        "eur",
        ts("2026-07-15"),
        customer="cus_ForeignZurich",
        fee=88,
        payout=AUTO,
    )
    charge(
        acct,
        "ch_ForeignSubscription",
        1900,
        "eur",
        ts("2026-08-10T00:06:00"),
        customer="cus_ForeignZurich",
        fee=52,
        payout=AUTO,
        invoice="in_ForeignSubscription",
    )
    for day, (cid, amount, cur, eur, rate, fee, cus, payout) in enumerate(CONVERTED, 14):
        charge(
            acct,
            cid,
            amount,
            cur,
            ts(f"2026-08-{day}"),
            customer=cus,
            settled=eur,
            rate=rate,
            fee=fee,
            payout=payout,
        )
    charge(
        acct,
        "ch_ForeignDeletedCustomer",
        1900,
        "eur",
        ts("2026-08-12T00:06:00"),
        customer="cus_ForeignDeleted",
        fee=52,
    )
    failed = example(
        "charge",
        id="ch_ForeignFailed",
        amount=999,
        amount_captured=0,
        currency="usd",
        created=ts("2026-09-02"),
        customer=None,
        captured=False,
        paid=False,
        status="failed",
        balance_transaction=None,
        failure_code="card_declined",
        failure_message="Your card was declined.",
        payment_intent="pi_ForeignFailed",
        source=None,
        transfer_data=None,
        outcome={
            "type": "issuer_declined",
            "reason": "generic_decline",
            "network_status": "declined_by_network",
            "risk_level": "normal",
            "seller_message": "The bank did not return any further details.",
        },
    )
    acct.put("charges", failed)
    old_charge(acct)
    other_payments(acct)
    same_second(acct)
    refunds(acct)


def same_second(acct: Account) -> None:
    """More guest charges in one second than a page holds (a bulk import), in mxn."""
    for n in range(150):
        charge(
            acct,
            f"ch_ForeignBulk{n:03d}",
            1000 + n,
            "mxn",
            ts("2026-10-05T10:00:00"),
            customer=None,
            settled=round((1000 + n) * 0.05),
            rate=0.05,
            fee=3,
        )


def other_payments(acct: Account) -> None:
    """A SEPA debit (`py_`, refunded with a `pyr_`), a lost dispute (`dp_`), an
    uncaptured authorization and a partial capture."""
    sepa = {
        "type": "sepa_debit",
        "sepa_debit": {
            "bank_code": "37040044",
            "country": "DE",
            "fingerprint": "sEpAfInGeRpRiNt",
            "last4": "3000",
            "mandate": "mandate_Foreign",
        },
    }
    charge(
        acct,
        "py_ForeignSepa",
        12000,
        "eur",
        ts("2026-09-16"),
        customer="cus_ForeignNoEmail",
        fee=35,
        payment_method_details=sepa,
    )
    refund = example(
        "refund",
        id="pyr_ForeignSepa",
        amount=2000,
        currency="eur",
        charge="py_ForeignSepa",
        created=ts("2026-09-18"),
        status="succeeded",
        balance_transaction="txn_ForeignSepaRefund",
    )
    acct.put("refunds", refund)
    balance_transaction(
        acct,
        "txn_ForeignSepaRefund",
        "payment_refund",
        -2000,
        0,
        ts("2026-09-18"),
        "pyr_ForeignSepa",
        category="refund",
    )
    disputed = charge(
        acct,
        "ch_ForeignDisputed",
        2500,
        "eur",
        ts("2026-09-17"),
        customer="cus_ForeignNoEmail",
        fee=65,
    )
    withdrawal = balance_transaction(
        acct,
        "txn_ForeignDispute",
        "adjustment",
        -4000,
        1500,
        ts("2026-09-19"),
        "dp_ForeignLost",
        category="dispute",
    )
    acct.put(
        "disputes",
        example(
            "dispute",
            id="dp_ForeignLost",
            amount=2500,
            currency="eur",
            charge=disputed["id"],
            created=ts("2026-09-19"),
            status="lost",
            payment_intent=disputed["payment_intent"],
            balance_transactions=[withdrawal],
        ),
    )
    uncaptured = example(
        "charge",
        id="ch_ForeignUncaptured",
        amount=7000,
        amount_captured=0,
        currency="eur",
        created=ts("2026-10-02"),
        customer=None,
        captured=False,
        paid=True,
        status="succeeded",
        balance_transaction=None,
        payment_intent="pi_ForeignUncaptured",
        source=None,
        transfer_data=None,
    )
    acct.put("charges", uncaptured)
    charge(
        acct,
        "ch_ForeignPartialCapture",
        9000,
        "eur",
        ts("2026-10-03"),
        customer=None,
        settled=6000,
        fee=120,
        amount_captured=6000,
    )


def old_charge(acct: Account) -> None:
    """Rendered in an older API version: embedded `refunds` list and a card under `source`."""
    refund = example(
        "refund",
        id="re_ForeignEmbedded",
        amount=500,
        currency="eur",
        charge="ch_ForeignOldShape",
        created=ts("2026-09-09"),
        status="succeeded",
        balance_transaction="txn_ForeignEmbeddedRefund",
    )
    obj = charge(
        acct,
        "ch_ForeignOldShape",
        3000,
        "eur",
        ts("2026-09-08"),
        customer="cus_ForeignNoEmail",
        fee=75,
        amount_refunded=500,
        refunds={
            "object": "list",
            "data": [refund],
            "has_more": False,
            "total_count": 1,
            "url": "/v1/charges/ch_ForeignOldShape/refunds",
        },
        source={
            "id": "card_ForeignOld",
            "object": "card",
            "brand": "Visa",
            "last4": "4242",
            "exp_month": 12,
            "exp_year": 2030,
            "fingerprint": "Xt5EWLLDS7FJjR1c",
            "country": "DE",
            "funding": "debit",
        },
    )
    del obj  # the charge keeps `payment_method_details` too, as old versions did
    acct.put("refunds", refund)
    balance_transaction(
        acct, "txn_ForeignEmbeddedRefund", "refund", -500, 0, ts("2026-09-09"), "re_ForeignEmbedded"
    )


def refunds(acct: Account) -> None:
    # `charge` is Optional in the SDK: a refund of a PaymentIntent without a charge
    acct.put(
        "refunds",
        example(
            "refund",
            id="re_ForeignNoCharge",
            amount=300,
            currency="eur",
            charge=None,
            payment_intent="pi_ForeignBankTransfer",
            created=ts("2026-09-21"),
            status="succeeded",
            balance_transaction="txn_ForeignNoChargeRefund",
        ),
    )
    balance_transaction(
        acct, "txn_ForeignNoChargeRefund", "refund", -300, 0, ts("2026-09-21"), "re_ForeignNoCharge"
    )
    # a refund of a converted charge: its eur transaction at the day's rate
    acct.put(
        "refunds",
        example(
            "refund",
            id="re_ForeignGuestUsd",
            amount=500,
            currency="usd",
            charge="ch_ForeignGuestUsd",
            created=ts("2026-09-22"),
            status="succeeded",
            balance_transaction="txn_ForeignGuestRefund",
        ),
    )
    balance_transaction(
        acct,
        "txn_ForeignGuestRefund",
        "refund",
        -465,
        0,
        ts("2026-09-22"),
        "re_ForeignGuestUsd",
        rate=0.93,
    )
    acct.put(
        "refunds",
        example(
            "refund",
            id="re_ForeignPending",
            amount=1500,
            currency="gbp",
            charge="ch_ForeignGbp",
            created=ts("2026-09-25"),
            status="pending",
            balance_transaction=None,
        ),
    )
    acct.put(
        "refunds",
        example(
            "refund",
            id="re_ForeignOfJulyCharge",
            amount=1000,
            currency="eur",
            charge="ch_ForeignJuly",
            created=ts("2026-09-05"),
            status="succeeded",
            balance_transaction="txn_ForeignJulyRefund",
        ),
    )
    balance_transaction(
        acct,
        "txn_ForeignJulyRefund",
        "refund",
        -1000,
        0,
        ts("2026-09-05"),
        "re_ForeignOfJulyCharge",
    )


OTHER_TYPES = (  # type, reporting category, amount, fee, day
    ("adjustment", "other_adjustment", -1500, 0, "2026-08-20"),
    ("stripe_fee", "fee", -2500, 0, "2026-09-01"),
    ("tax_fee", "fee", -475, 0, "2026-09-01T00:00:01"),
    ("reserve_transaction", "risk_reserved_funds", -10000, 0, "2026-09-04"),
    ("issuing_authorization_hold", "issuing_authorization_hold", -2000, 0, "2026-09-06"),
    ("issuing_transaction", "issuing_transaction", -3000, 0, "2026-09-07"),
    ("topup", "topup", 2**53 + 1, 0, "2026-09-11"),
    ("contribution", "contribution", -100, 0, "2026-09-12"),
    ("climate_order_purchase", "climate_order_purchase", -250, 0, "2026-09-13"),
    ("some_future_type", "some_future_category", 123, 7, "2026-09-14"),
)


def balance(acct: Account) -> None:
    for n, (type_, category, amount, fee, day) in enumerate(OTHER_TYPES):
        balance_transaction(
            acct, f"txn_ForeignOther{n}", type_, amount, fee, ts(day), None, category=category
        )
    payout(acct, AUTO, "paid", ts("2026-09-10"), automatic=True)
    payout(acct, "po_ForeignManual", "paid", ts("2026-09-15"), automatic=False, amount=10000)
    payout(acct, FAILED, "failed", ts("2026-10-01"), automatic=True)
    # `balance_transaction` is Optional in the SDK: a manual payout just created
    pending = example(
        "payout",
        id="po_ForeignPendingManual",
        amount=500,
        currency="eur",
        created=ts("2026-10-19"),
        arrival_date=ts("2026-10-22"),
        automatic=False,
        status="pending",
        balance_transaction=None,
        destination="ba_ForeignIban",
        reconciliation_status="not_applicable",
    )
    acct.put("payouts", pending)


def payout(
    acct: Account,
    payout_id: str,
    status: str,
    created: int,
    *,
    automatic: bool,
    amount: int | None = None,
) -> None:
    swept = [
        json.loads(o.body)
        for o in acct.objects
        if o.resource == "balance_transactions" and (o.filters or {}).get("payout") == payout_id
    ]
    amount = amount if amount is not None else sum(t["net"] for t in swept)
    own = f"txn_{payout_id[3:]}"
    failure = f"txn_{payout_id[3:]}Failure" if status == "failed" else None
    obj = example(
        "payout",
        id=payout_id,
        amount=amount,
        currency="eur",
        created=created,
        arrival_date=created + 2 * 86400,
        automatic=automatic,
        status=status,
        balance_transaction=own,
        failure_balance_transaction=failure,
        failure_code="account_closed" if failure else None,
        failure_message="The bank account has been closed." if failure else None,
        reconciliation_status="completed" if automatic else "not_applicable",
        destination="ba_ForeignIban",
        trace_id={"status": "supported", "value": None},
    )
    acct.put("payouts", obj)
    balance_transaction(
        acct, own, "payout", -amount, 0, created, payout_id, payout=payout_id if automatic else None
    )
    if failure:
        balance_transaction(
            acct,
            failure,
            "payout_failure",
            amount,
            0,
            created + 3 * 86400,
            payout_id,
            category="payout_reversal",
        )


def event(
    acct: Account,
    n: int,
    type_: str,
    obj: dict[str, Any],
    created: int,
    api_version: str | None = API_VERSION,
    request_id: str | None = None,
) -> None:
    acct.put(
        "events",
        example(
            "event",
            id=f"evt_Foreign{n:04d}",
            type=type_,
            created=created,
            api_version=api_version,
            data={"object": obj},
            request={"id": request_id, "idempotency_key": None},
        ),
    )


def stored(acct: Account, object_id: str) -> dict[str, Any]:
    return json.loads(next(o.body for o in acct.objects if o.id == object_id))


def events(acct: Account) -> None:
    day = CLOCK - 5 * 86400
    authorization = example("issuing.authorization", id="iauth_ForeignHold", created=day)
    event(acct, 1, "issuing_authorization.created", authorization, day)
    event(
        acct,
        2,
        "some_future.object_happened",
        {"id": "sfo_Foreign1", "object": "some_future"},
        day + 60,
        api_version=None,
    )
    event(
        acct,
        3,
        "charge.refunded",
        stored(acct, "ch_ForeignOldShape"),
        day + 120,
        api_version="2019-12-03",
        request_id="req_ForeignRefund",
    )
    event(
        acct,
        4,
        "invoice.voided",
        stored(acct, "in_ForeignOldShape"),
        day + 180,
        api_version="2022-11-15",
    )
    deleted = example(
        "customer", id="cus_ForeignDeleted", created=ts("2026-08-06"), discount=None, deleted=True
    )
    event(acct, 5, "customer.deleted", deleted, day + 240)
    event(
        acct,
        6,
        "customer.tax_id.created",
        example("tax_id", id="txi_ForeignVat", customer="cus_ForeignZurich", created=day),
        day + 300,
    )
    event(acct, 7, "payout.failed", stored(acct, FAILED), day + 360)
    event(acct, 8, "charge.succeeded", stored(acct, "ch_ForeignKrw"), day + 420)
    # a customer created before the extracted months, known only from this event
    acct.put(
        "events",
        example(
            "event",
            id="evt_Foreign0014",
            type="customer.updated",
            created=day + 780,
            api_version=API_VERSION,
            request={"id": "req_ForeignUpdate", "idempotency_key": None},
            data={
                "object": stored(acct, "cus_ForeignZurich"),
                "previous_attributes": {"metadata": {"note": None}},
            },
        ),
    )
    balance = example("balance")  # no `id`: a balance is not an object with one
    event(acct, 9, "balance.available", balance, day + 480)
    event(
        acct,
        10,
        "payment_intent.succeeded",
        example("payment_intent", id="pi_ForeignKrw", created=day),
        day + 540,
    )
    sub = stored(acct, "sub_ForeignActive")
    acct.put(
        "events",
        example(
            "event",
            id="evt_Foreign0011",
            type="customer.subscription.updated",
            created=day + 600,
            api_version=API_VERSION,
            request={"id": None, "idempotency_key": None},
            data={"object": sub, "previous_attributes": {"status": "trialing", "metadata": {}}},
        ),
    )
    event(acct, 12, "account.updated", example("account", id=PLATFORM), day + 660)
    event(
        acct,
        13,
        "customer.discount.created",
        example("discount", id="di_ForeignDiscount", customer="cus_ForeignZurich"),
        day + 720,
    )


def account_balance(acct: Account) -> None:
    """`GET /v1/balance` at the clock: per currency, the nets of every transaction,
    those before the extracted months too (Stripe's balance is the whole history)."""
    available: Counter[str] = Counter()
    pending: Counter[str] = Counter()
    seen: dict[str, dict[str, Any]] = {}
    for stored_object in acct.objects:
        if stored_object.resource == "balance_transactions":
            seen.setdefault(stored_object.id, json.loads(stored_object.body))
    for txn in seen.values():
        (available if txn["available_on"] <= CLOCK else pending)[txn["currency"]] += txn["net"]
    currencies = sorted(set(available) | set(pending))
    body = {
        "object": "balance",
        "available": [{"amount": available[c], "currency": c} for c in currencies],
        "pending": [{"amount": pending[c], "currency": c} for c in currencies],
        "livemode": False,
    }
    acct.objects.append(StoredObject("balance", "balance", CLOCK, json.dumps(body)))


def build_foreign_account(path: Path) -> Path:
    """Write the foreign account to `path` (a new SQLite account file)."""
    acct = Account()
    for part in (customers, catalog, subscriptions, invoices, charges, balance, events):
        part(acct)
    account_balance(acct)
    return acct.write(path)
