"""Coupons, their promotion codes, and the discounts subscriptions redeem them as.

Coupons take ids their owner chose (`SPRING25`) or Stripe's random eight
characters; amount-off coupons have one currency and apply only to
subscriptions in it. A share of new subscriptions redeems a valid coupon
(through its promotion code when it has one): the subscription's
`discounts` names the `di_` discount, `customer.discount.created` is sent,
and its invoices are discounted until the coupon's duration ends (`once`:
the first invoice; `repeating`: `duration_in_months`; `forever`).
"""

from __future__ import annotations

from stripe_sandbox.generator.billing_stream import BillingStream
from stripe_sandbox.generator.money import DAY
from stripe_sandbox.generator.subscriptions import Sub, add_month
from stripe_sandbox.generator.templates import Template

COUPON = Template("coupons", livemode=False, max_redemptions=None, metadata={})
PROMOTION_CODE = Template(
    "promotion_codes",
    active=True,
    customer=None,
    customer_account=None,
    expires_at=None,
    livemode=False,
    max_redemptions=None,
    metadata={},
    restrictions={
        "first_time_transaction": False,
        "minimum_amount": None,
        "minimum_amount_currency": None,
    },
)
DISCOUNT = Template(
    "discounts",
    checkout_session=None,
    customer_account=None,
    invoice=None,
    invoice_item=None,
    subscription_item=None,
)
# id ("" = random), name, percent_off, (currency, amount_off), duration, months, code, redeem days
COUPONS = (
    ("SPRING25", "Spring 25% off", 25, None, "repeating", 3, "SPRING25", 120),
    ("", "20% off forever", 20, None, "forever", None, None, None),
    ("", "$10 off the first invoice", None, ("usd", 1000), "once", None, "WELCOME10", None),
    ("EURO5", "€5 off for six months", None, ("eur", 500), "repeating", 6, None, None),
)
LATE_COUPON = ("WINTER15", "Winter 15% off", 15, None, "once", None, "WINTER15", None)
DISCOUNTED_SHARE = 0.2  # new subscriptions that redeem a coupon
CODE_SHARE = 0.7  # of those, redeemed through a promotion code when the coupon has one


class Coupons:
    """The account's coupons and promotion codes, and the discounts of its subscriptions."""

    def __init__(self, stream: BillingStream, start: int) -> None:
        self.stream = stream
        self.coupons: list[dict] = []
        self.codes: dict[str, dict] = {}  # coupon id → its promotion code
        self.active: dict[str, tuple[dict, dict, Sub]] = {}  # subscription id → its discount
        for n, spec in enumerate(COUPONS):
            self._create(start - 29 * DAY + n * 3600, spec)
        stream.ctx.scheduler.at(stream.ctx.clock - 10 * DAY, self._create_late)

    def _create_late(self, t: int) -> None:
        self._create(t, LATE_COUPON)

    def _create(self, t: int, spec: tuple) -> None:
        coupon_id, name, percent, amount_off, duration, months, code, redeem_days = spec
        currency, amount = amount_off or (None, None)
        coupon = COUPON.new(
            amount_off=amount,
            created=t,
            currency=currency,
            duration=duration,
            duration_in_months=months,
            id=coupon_id or self.stream.ids.token(8).upper(),
            name=name,
            percent_off=percent,
            redeem_by=t + redeem_days * DAY if redeem_days else None,
            times_redeemed=0,
            valid=not redeem_days or t + redeem_days * DAY > self.stream.ctx.clock,
        )
        self.stream.emit(t, "coupon.created", coupon)
        self.stream.ctx.keep("coupons", coupon)
        self.coupons.append(coupon)
        if code:
            promo = PROMOTION_CODE.new(
                code=code,
                created=t + 60,
                id=self.stream.new_id("promo_"),
                promotion={"coupon": coupon["id"], "type": "coupon"},
                times_redeemed=0,
            )
            self.stream.emit(t + 60, "promotion_code.created", promo)
            self.stream.ctx.keep("promotion_codes", promo)
            self.codes[coupon["id"]] = promo

    def redeem(self, t: int, sub: Sub) -> None:
        """Maybe give a new subscription a discount (before its first invoice)."""
        rng, currency = self.stream.rng, sub.body["currency"]
        if rng.random() >= DISCOUNTED_SHARE:
            return
        valid = [c for c in self.coupons if _redeemable(c, t, currency)]
        if not valid:
            return
        coupon = valid[rng.randrange(len(valid))]
        promo = self.codes.get(coupon["id"]) if rng.random() < CODE_SHARE else None
        months = coupon["duration_in_months"]
        discount = DISCOUNT.new(
            customer=sub.customer.id,
            end=_add_months(t, months) if coupon["duration"] == "repeating" else None,
            id=self.stream.new_id("di_"),
            promotion_code=promo["id"] if promo else None,
            source={"coupon": coupon["id"], "type": "coupon"},
            start=t,
            subscription=sub.body["id"],
        )
        for redeemed in (coupon, promo) if promo else (coupon,):
            redeemed["times_redeemed"] += 1
        sub.body["discounts"] = [discount["id"]]
        self.active[sub.body["id"]] = (discount, coupon, sub)
        self.stream.emit(t, "customer.discount.created", discount)

    def for_invoice(self, t: int, subscription: str | None) -> tuple[dict, dict] | None:
        """The (discount, coupon) an invoice of `subscription` at `t` gets; ended ones go."""
        found = self.active.get(subscription or "")
        if found is None:
            return None
        discount, coupon, sub = found
        if discount["end"] is not None and t >= discount["end"]:
            self.remove(t, sub)
            return None
        return discount, coupon

    def invoiced(self, t: int, subscription: str | None) -> None:
        """A `once` discount is spent by the invoice just made."""
        found = self.active.get(subscription or "")
        if found and found[1]["duration"] == "once":
            self.remove(t, found[2])

    def remove(self, t: int, sub: Sub) -> None:
        discount, _, _ = self.active.pop(sub.body["id"])
        previous = {"discounts": list(sub.body["discounts"])}
        sub.body["discounts"] = []
        self.stream.emit(t, "customer.discount.deleted", discount)
        self.stream.emit(t, "customer.subscription.updated", sub.body, previous, api_request=False)


def _redeemable(coupon: dict, t: int, currency: str) -> bool:
    if coupon["created"] > t or (coupon["redeem_by"] is not None and coupon["redeem_by"] <= t):
        return False
    return coupon["currency"] in (None, currency)


def _add_months(t: int, months: int) -> int:
    for _ in range(months):
        t = add_month(t)
    return t
