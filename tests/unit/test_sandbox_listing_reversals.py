"""Reversals are paged from the list a transfer embeds."""

from __future__ import annotations

import orjson
import pytest

from stripe_sandbox.errors import ApiError
from stripe_sandbox.reversals import reversals_page

TRANSFER = orjson.dumps(
    {"id": "tr_1", "reversals": {"data": [{"id": f"trr_{i}"} for i in (5, 4, 3, 2, 1)]}}
)


def ids(query: bytes) -> tuple[list[str], bool]:
    page = reversals_page(TRANSFER, query)
    return [orjson.loads(b)["id"] for b in page.bodies], page.has_more


def test_reversals_page_by_cursor_in_both_directions():
    assert ids(b"limit=2") == (["trr_5", "trr_4"], True)
    assert ids(b"limit=2&starting_after=trr_4") == (["trr_3", "trr_2"], True)
    assert ids(b"limit=2&starting_after=trr_2") == (["trr_1"], False)
    assert ids(b"limit=2&ending_before=trr_2") == (["trr_4", "trr_3"], True)
    assert ids(b"limit=2&ending_before=trr_4") == (["trr_5"], False)


def test_unknown_reversal_cursor_and_created_are_400():
    with pytest.raises(ApiError) as cursor:
        ids(b"starting_after=trr_9")
    assert cursor.value.error["param"] == "starting_after"
    with pytest.raises(ApiError) as created:
        ids(b"created=5")
    assert created.value.error["code"] == "parameter_unknown"
