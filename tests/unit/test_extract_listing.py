"""Adaptive `created` windows and children, against an in-memory Stripe list (MockTransport).

The fake answers lists as Stripe does: newest first by (created, creation order),
`created[gte]`/`created[lt]`, `starting_after`, `limit`, `has_more`.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime

import httpx

from pipeline.catalog import BY_NAME
from pipeline.extract.client import StripeSession
from pipeline.extract.config import StripeHttp
from pipeline.extract.first_month import find_first_month
from pipeline.extract.limiter import RateLimiter
from pipeline.extract.listing import SplitPolicy
from pipeline.extract.month import extract_month
from pipeline.months import month_bounds

MAY_START, MAY_END = month_bounds("2024-05")


class FakeStripe:
    def __init__(self) -> None:
        self.lists: dict[str, list[dict]] = {}  # path -> objects in creation order
        self.requests: list[httpx.Request] = []

    def add(self, path: str, obj: dict) -> dict:
        self.lists.setdefault(path, []).append(obj)
        return obj

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        q = request.url.params
        items = list(reversed(self.lists.get(request.url.path, [])))  # newest first by seq
        items.sort(key=lambda o: -o.get("created", 0))  # stable: ties keep seq desc
        if "created[gte]" in q:
            items = [o for o in items if o["created"] >= int(q["created[gte]"])]
        if "created[lt]" in q:
            items = [o for o in items if o["created"] < int(q["created[lt]"])]
        if "payout" in q:
            items = [o for o in items if o.get("payout") == q["payout"]]
        if "starting_after" in q:
            ids = [o["id"] for o in items]
            items = items[ids.index(q["starting_after"]) + 1 :]
        limit = int(q.get("limit", 10))
        page = {"object": "list", "data": items[:limit], "has_more": len(items) > limit}
        return httpx.Response(200, json=page)


def extract(fake: FakeStripe, name: str, month: str = "2024-05", **split):
    rows: dict[str, list[dict]] = {}

    class Sink:
        def add(self, table, batch):
            rows.setdefault(table, []).extend(batch.to_pylist())

    async def main():
        cfg = StripeHttp("sk_test_x", api_base="http://stripe.test", page_size=10)
        session = StripeSession(
            cfg, transport=httpx.MockTransport(fake), limiter=RateLimiter(1e6, 1e6)
        )
        async with session:
            policy = SplitPolicy(**split) if split else None
            when = datetime(2024, 6, 1, tzinfo=UTC)
            return await extract_month(
                session, BY_NAME[name], month, Sink(), extracted_at=when, split=policy
            )

    stats = asyncio.run(main())
    return rows, stats


def charges_with_ties(fake: FakeStripe, n: int, seed: int = 7) -> list[str]:
    """Charges bunched in a few seconds and spread over May, plus boundary seconds."""
    rnd = random.Random(seed)
    seconds = [MAY_START - 1, MAY_START, MAY_END - 1, MAY_END]
    seconds += [rnd.randrange(MAY_START, MAY_END) for _ in range(40)]
    may = []
    for i in range(n):
        created = rnd.choice(seconds) if i % 3 else rnd.randrange(MAY_START - 50, MAY_END + 50)
        charge = fake.add(
            "/v1/charges", {"id": f"ch_{i:05d}", "object": "charge", "created": created}
        )
        if MAY_START <= created < MAY_END:
            may.append(charge["id"])
    return may


def test_every_object_of_the_month_exactly_once():
    fake = FakeStripe()
    expected = charges_with_ties(fake, 900)
    rows, stats = extract(fake, "charges")
    ids = [r["id"] for r in rows["charges"]]
    assert Counter(ids) == Counter(expected)
    assert stats.objects == len(expected) and stats.pages == len(fake.requests)


def test_split_policies_agree_and_splitting_reads_windows_concurrently():
    fake = FakeStripe()
    expected = sorted(charges_with_ties(fake, 600, seed=3))
    for pages_per_window, max_windows in [(1, 64), (2, 8), (1000, 1)]:
        rows, _ = extract(
            fake, "charges", pages_per_window=pages_per_window, max_windows=max_windows
        )
        assert sorted(r["id"] for r in rows["charges"]) == expected
    windows = {
        (r.url.params.get("created[gte]"), r.url.params.get("created[lt]")) for r in fake.requests
    }
    assert len(windows) > 10


def test_rows_carry_the_raw_columns():
    fake = FakeStripe()
    fake.add(
        "/v1/charges", {"id": "ch_1", "object": "charge", "created": MAY_START, "livemode": False}
    )
    rows, _ = extract(fake, "charges")
    (row,) = rows["charges"]
    assert row["month"] == "2024-05" and row["source"] == "list" and row["is_deleted"] is False
    assert (
        row["payload"]
        == f'{{"id":"ch_1","object":"charge","created":{MAY_START},"livemode":false}}'
    )
    assert row["event_id"] is None and row["api_version"]


def test_invoice_lines_embedded_or_paged_carry_the_invoice_month():
    fake = FakeStripe()
    created = MAY_START + 100
    short = [{"id": f"il_s{i}", "object": "line_item"} for i in range(2)]
    long = [{"id": f"il_l{i:02d}", "object": "line_item"} for i in range(25)]
    fake.add(
        "/v1/invoices",
        {
            "id": "in_short",
            "object": "invoice",
            "created": created,
            "lines": {"object": "list", "data": short, "has_more": False},
        },
    )
    fake.add(
        "/v1/invoices",
        {
            "id": "in_long",
            "object": "invoice",
            "created": created,
            "lines": {"object": "list", "data": long[:10], "has_more": True},
        },
    )
    for line in long:
        fake.add("/v1/invoices/in_long/lines", line)
    fake.lists["/v1/invoices/in_long/lines"].reverse()  # lists serve them in line order
    rows, _ = extract(fake, "invoice_line_items")
    lines = rows["invoice_line_items"]
    assert sorted(r["id"] for r in lines) == sorted(x["id"] for x in short + long)
    assert {(r["created"], r["month"]) for r in lines} == {(created, "2024-05")}
    assert len(rows["invoices"]) == 2


def test_automatic_payouts_bring_their_balance_transactions():
    fake = FakeStripe()
    for i, automatic in enumerate([True, False]):
        fake.add(
            "/v1/payouts",
            {"id": f"po_{i}", "object": "payout", "created": MAY_START + i, "automatic": automatic},
        )
    for i in range(23):
        fake.add(
            "/v1/balance_transactions",
            {
                "id": f"txn_{i:02d}",
                "object": "balance_transaction",
                "created": MAY_START - 86400 * 40 + i,
                "payout": "po_0",
            },
        )
    rows, _ = extract(fake, "payouts")
    txns = rows["payout_balance_transactions"]
    assert sorted(r["balance_transaction_id"] for r in txns) == [f"txn_{i:02d}" for i in range(23)]
    assert {(r["payout_id"], r["month"]) for r in txns} == {("po_0", "2024-05")}
    assert len(rows["payouts"]) == 2


def test_first_month_is_found_with_few_requests():
    fake = FakeStripe()
    old = month_bounds("2019-03")[0] + 5
    fake.add("/v1/products", {"id": "prod_1", "object": "product", "created": old})
    fake.add("/v1/customers", {"id": "cus_1", "object": "customer", "created": old + 86400 * 60})
    charges_with_ties(fake, 50)

    async def main():
        cfg = StripeHttp("sk_test_x", api_base="http://stripe.test")
        transport = httpx.MockTransport(fake)
        async with StripeSession(cfg, transport=transport, limiter=RateLimiter(1e6, 1e6)) as s:
            return await find_first_month(s, latest_month="2024-06")

    assert asyncio.run(main()) == "2019-03"
    assert len(fake.requests) < 45
    assert all(r.url.params["limit"] == "1" for r in fake.requests)
