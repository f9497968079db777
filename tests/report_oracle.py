"""Stripe's balance reports computed straight from the API, for the report marts' oracle test.

Reads only the official `stripe` SDK: every balance transaction (auto-paged),
payouts and their `?payout=` transactions, `/v1/balance`. A transaction
belongs to the UTC period of its `created`; payouts and payout reversals are
the payouts section, everything else is activity. Integers in minor units,
per currency, never summed across currencies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import stripe

PAYOUT_CATEGORIES = {"payout", "payout_reversal"}
GRAINS = ("day", "week", "month", "quarter")
# overview_metrics.net_volume: the categories Stripe's Dashboard counts as payments volume.
NET_VOLUME_CATEGORIES = {
    "charge",
    "refund",
    "refund_failure",
    "dispute",
    "dispute_reversal",
    "partial_capture_reversal",
}


def client_for(sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.base_url})


def utc_date(unix_seconds: int) -> dt.date:
    return dt.datetime.fromtimestamp(unix_seconds, dt.UTC).date()


def period_start(grain: str, day: dt.date) -> dt.date:
    if grain == "day":
        return day
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())  # ISO week: Monday
    if grain == "month":
        return day.replace(day=1)
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def next_period(grain: str, start: dt.date) -> dt.date:
    if grain == "day":
        return start + dt.timedelta(days=1)
    if grain == "week":
        return start + dt.timedelta(days=7)
    months = 1 if grain == "month" else 3
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def all_transactions(client: stripe.StripeClient) -> list:
    listing = client.v1.balance_transactions.list({"limit": 100})
    return list(listing.auto_paging_iter())


def is_payout_section(txn) -> bool:
    return txn.reporting_category in PAYOUT_CATEGORIES


def balance_summary(transactions: list, now: int) -> dict[tuple, dict]:
    """Balance summary rows per (grain, period_start, currency), dense from each
    currency's first transaction's period to the period holding `now` (or the
    latest transaction), starting from a zero balance."""
    last_day = utc_date(max([now, *(t.created for t in transactions)]))
    rows: dict[tuple, dict] = {}
    for grain in GRAINS:
        sums: dict[tuple, Counter] = defaultdict(Counter)
        for txn in transactions:
            row = sums[(period_start(grain, utc_date(txn.created)), txn.currency)]
            if is_payout_section(txn):
                row["total_payouts"] -= txn.net
                row["payout_count"] += 1
            else:
                row["activity_gross"] += txn.amount
                row["activity_fee"] += txn.fee
                row["activity_net"] += txn.net
                row["activity_count"] += 1
        last = period_start(grain, last_day)
        for currency in sorted({t.currency for t in transactions}):
            start = min(p for p, c in sums if c == currency)
            balance = 0
            while start <= last:
                row = sums[(start, currency)]
                ending = balance + row["activity_net"] - row["total_payouts"]
                rows[(grain, start, currency)] = {
                    "period_end": next_period(grain, start),
                    "starting_balance": balance,
                    "activity_gross": row["activity_gross"],
                    "activity_fee": row["activity_fee"],
                    "activity_net": row["activity_net"],
                    "activity_count": row["activity_count"],
                    "total_payouts": row["total_payouts"],
                    "payout_count": row["payout_count"],
                    "ending_balance": ending,
                    "balance_brought_forward": 0,
                    "is_latest_period": start == last,
                }
                balance, start = ending, next_period(grain, start)
    return rows


def balance_now(client: stripe.StripeClient) -> Counter:
    """`/v1/balance` available + pending, per currency."""
    balance = client.v1.balance.retrieve()
    totals: Counter = Counter()
    for funds in (*balance.available, *balance.pending):
        totals[funds.currency] += funds.amount
    return totals


def automatic_payout_items(client: stripe.StripeClient) -> dict[str, tuple[int, dict]]:
    """Per paid automatic payout: its amount, and {transaction id: net} of what it swept."""
    items = {}
    for payout in client.v1.payouts.list({"limit": 100}).auto_paging_iter():
        if payout.status != "paid" or not payout.automatic:
            continue
        listing = client.v1.balance_transactions.list({"payout": payout.id, "limit": 100})
        swept = {
            txn.id: txn.net
            for txn in listing.auto_paging_iter()
            if txn.id != payout.balance_transaction  # the payout's own transaction
        }
        items[payout.id] = (payout.amount, swept)
    return items


def overview_month(rows: list[dict]) -> dict[tuple, dict]:
    """Monthly overview per (month start, currency) from transactions given as dicts
    with created (date), currency, gross, fee, net, reporting_category."""
    sums: dict[tuple, Counter] = defaultdict(Counter)
    for r in rows:
        row = sums[(period_start("month", r["created"]), r["currency"])]
        category = r["reporting_category"]
        if category in PAYOUT_CATEGORIES:
            row["total_payouts"] -= r["net"]
            row["payout_count"] += category == "payout"  # the payout's own transaction
            continue
        row["activity_net"] += r["net"]
        row["fees"] += r["fee"] - (r["gross"] if category == "fee" else 0)
        if category == "charge":
            row["gross_volume"] += r["gross"]
        if category == "refund":
            row["refund_count"] += 1
            row["refunds"] -= r["gross"]
        if category in NET_VOLUME_CATEGORIES:
            row["net_volume"] += r["net"]
    return {key: dict(row) for key, row in sums.items()}


OVERVIEW_COLUMNS = [
    "gross_volume",
    "refund_count",
    "refunds",
    "fees",
    "net_volume",
    "activity_net",
    "payout_count",
    "total_payouts",
]


def as_report_row(txn) -> dict:
    """A balance transaction as balance_change_from_activity shows it."""
    return {
        "created": utc_date(txn.created),
        "created_utc": txn.created,
        "available_on_utc": txn.available_on,
        "currency": txn.currency,
        "gross": txn.amount,
        "fee": txn.fee,
        "net": txn.net,
        "reporting_category": txn.reporting_category,
        "exchange_rate": txn.exchange_rate,
    }
