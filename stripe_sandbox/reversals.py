"""`GET /v1/transfers/{id}/reversals` and `/v1/application_fees/{id}/refunds`, paged.

A transfer's body carries its reversals as a list (newest first), an
application fee's its refunds, so these nested lists are served from that
body rather than from rows of their own.
"""

from __future__ import annotations

import orjson

from stripe_sandbox import errors
from stripe_sandbox.listing import Page
from stripe_sandbox.params import parse_list_query
from stripe_sandbox.resources import Resource

REVERSALS = Resource("transfer_reversals", "transfer_reversal", "trr_", "", has_created=False)
FEE_REFUNDS = Resource("fee_refunds", "fee_refund", "fr_", "", has_created=False)


def reversals_page(
    transfer_body: bytes, query_string: bytes, field: str = "reversals", of=REVERSALS
) -> Page:
    """A page of the list a body embeds in `field` (items of resource `of`)."""
    query = parse_list_query(of, query_string)
    items = (orjson.loads(transfer_body).get(field) or {}).get("data") or []
    ids = [item.get("id") for item in items]
    start, stop = 0, len(items)
    for param, cursor in (("starting_after", query.starting_after),
                          ("ending_before", query.ending_before)):  # fmt: skip
        if cursor is not None and cursor not in ids:
            raise errors.resource_missing(of.object, cursor, param=param)
    if query.starting_after is not None:
        start = ids.index(query.starting_after) + 1
        chosen = items[start : start + query.limit]
        has_more = start + query.limit < stop
    elif query.ending_before is not None:
        stop = ids.index(query.ending_before)
        chosen = items[max(0, stop - query.limit) : stop]
        has_more = stop - query.limit > 0
    else:
        chosen, has_more = items[: query.limit], query.limit < stop
    return Page([orjson.dumps(item) for item in chosen], has_more)


def embedded_item(body: bytes, field: str, of: Resource, item_id: str) -> bytes:
    """One item of the list a body embeds (`GET /v1/application_fees/{id}/refunds/{id}`)."""
    for item in (orjson.loads(body).get(field) or {}).get("data") or []:
        if item.get("id") == item_id:
            return orjson.dumps(item)
    raise errors.resource_missing(of.object, item_id)
