"""`GET /v1/transfers/{id}/reversals`: the reversals a transfer embeds, paged.

A transfer's body carries its reversals as a list (newest first), so this
nested list is served from that body rather than from rows of its own.
"""

from __future__ import annotations

import orjson

from pipeline.sandbox import errors
from pipeline.sandbox.listing import Page
from pipeline.sandbox.params import parse_list_query
from pipeline.sandbox.resources import Resource

REVERSALS = Resource("transfer_reversals", "transfer_reversal", "trr_", "", has_created=False)


def reversals_page(transfer_body: bytes, query_string: bytes) -> Page:
    query = parse_list_query(REVERSALS, query_string)
    items = (orjson.loads(transfer_body).get("reversals") or {}).get("data") or []
    ids = [item.get("id") for item in items]
    start, stop = 0, len(items)
    for param, cursor in (("starting_after", query.starting_after),
                          ("ending_before", query.ending_before)):  # fmt: skip
        if cursor is not None and cursor not in ids:
            raise errors.resource_missing("transfer_reversal", cursor, param=param)
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
