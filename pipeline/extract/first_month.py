"""The month of the account's oldest object, in a few `limit=1` probes.

Lists are newest first, so the oldest object is found by binary search over
months: "is there any object created before the end of month m?" is
monotone in m. Object types are probed one after another and each only
searches below the best month found so far (usually one request).
"""

from __future__ import annotations

import time

from pipeline.catalog import STRIPE_OBJECTS, StripeObject
from pipeline.extract.client import StripeSession
from pipeline.extract.config import StripeHttp
from pipeline.extract.listing import Lister
from pipeline.extract.stats import ExtractStats
from pipeline.months import month_bounds, month_of, months_between

EARLIEST_MONTH = "2010-01"  # before Stripe's launch


async def _exists_before(lister: Lister, obj: StripeObject, lt: int) -> int | None:
    """`created` of the newest object created before `lt`, or None."""
    params = {**dict(obj.list_params), "created[lt]": lt, "limit": 1}
    page = await lister.page(obj.list_path, params)
    return page["data"][0]["created"] if page["data"] else None


async def _oldest_month(lister: Lister, obj: StripeObject, months: list[str]) -> str | None:
    """Smallest month in `months` that has an `obj` created in or before it."""
    newest = await _exists_before(lister, obj, month_bounds(months[-1])[1])
    if newest is None:
        return None
    newest_month = month_of(newest)
    lo, hi = 0, months.index(newest_month) if newest_month in months else len(months) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if await _exists_before(lister, obj, month_bounds(months[mid])[1]) is None:
            lo = mid + 1
        else:
            hi = mid
    return months[lo]


async def find_first_month(
    client: StripeSession | StripeHttp,
    *,
    latest_month: str | None = None,
    earliest_month: str = EARLIEST_MONTH,
) -> str | None:
    """Month of the oldest object of any listed type (None for an empty account).

    `latest_month` defaults to the current UTC month.
    """
    latest_month = latest_month or month_of(int(time.time()))
    if isinstance(client, StripeHttp):
        async with StripeSession(client) as session:
            return await find_first_month(
                session, latest_month=latest_month, earliest_month=earliest_month
            )
    lister = Lister(client, ExtractStats())
    best: str | None = None
    for obj in STRIPE_OBJECTS:
        if not obj.has_created or obj.name == "events":
            continue
        months = months_between(earliest_month, best or latest_month)
        if best is not None:
            if len(months) < 2:
                continue
            months = months[:-1]
        found = await _oldest_month(lister, obj, months)
        best = found or best
    return best
