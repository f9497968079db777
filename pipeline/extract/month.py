"""Extract one month of one Stripe object into row sinks."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from pipeline.catalog import StripeObject, listed_object, tables_for
from pipeline.extract.children import handler_for
from pipeline.extract.client import StripeSession
from pipeline.extract.config import StripeHttp
from pipeline.extract.listing import Lister, SplitPolicy
from pipeline.extract.rows import RowContext
from pipeline.extract.sink import RowSink
from pipeline.extract.stats import ExtractStats
from pipeline.months import month_bounds


async def extract_month(
    client: StripeSession | StripeHttp,
    obj: StripeObject,
    month: str,
    sink: RowSink,
    *,
    extracted_at: datetime | None = None,
    split: SplitPolicy | None = None,
) -> ExtractStats:
    """List every `obj` created in `month` (UTC) into `sink`, one table per raw table.

    The listed object's catalogue children are written too (invoices write
    `invoice_line_items`, payouts `payout_balance_transactions`: `tables_for(obj)`
    names them); asking for `invoice_line_items` lists invoices.
    Every request carries the catalogue's `list_params` (subscriptions `status=all`).
    Pass a `StripeSession` to share one limiter between concurrent extractions.
    """
    if isinstance(client, StripeHttp):
        async with StripeSession(client) as session:
            return await extract_month(
                session, obj, month, sink, extracted_at=extracted_at, split=split
            )
    config = client.config
    ctx = RowContext(
        account=config.stripe_account,
        api_version=config.api_version,
        extracted_at=extracted_at or datetime.now(UTC),
    )
    for table in tables_for(obj):
        opener = getattr(sink, "open_table", None)
        if opener:
            opener(table)
    stats = ExtractStats()
    started = time.perf_counter()
    lister = Lister(client, stats, split)
    gte, lt = month_bounds(month)
    listed = listed_object(obj)
    params = dict(listed.list_params)
    await lister.created_window(
        listed.list_path, params, gte, lt, handler_for(obj, lister, ctx, sink)
    )
    stats.seconds = time.perf_counter() - started
    return stats
