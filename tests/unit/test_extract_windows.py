"""Months and `created` windows: exact coverage, boundaries counted once."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from pipeline.extract.windows import rest_pages, split_window
from pipeline.months import month_bounds, month_of, months_between


def test_month_bounds_are_utc_and_half_open():
    start, end = month_bounds("2024-02")
    assert start == int(datetime(2024, 2, 1, tzinfo=UTC).timestamp())
    assert end == int(datetime(2024, 3, 1, tzinfo=UTC).timestamp())
    assert month_of(start) == "2024-02" and month_of(end - 1) == "2024-02"
    assert month_of(end) == "2024-03"
    assert month_bounds("2024-12")[1] == int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())


def test_months_between_is_inclusive_and_crosses_years():
    assert months_between("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert months_between("2024-01-15", "2024-01-31") == ["2024-01"]
    assert months_between("2024-03", "2024-01") == []


def test_split_window_covers_every_second_exactly_once():
    for gte, lt, parts in [(0, 100, 7), (5, 6, 4), (1_700_000_000, 1_702_678_400, 31)]:
        windows = split_window(gte, lt, parts)
        assert windows[0][0] == gte and windows[-1][1] == lt
        assert all(a < b for a, b in windows)
        assert all(w[1] == nxt[0] for w, nxt in itertools.pairwise(windows))
        assert len(windows) <= parts


def test_rest_pages_follows_page_density():
    # one page covered the last 10 s of a 1000 s window: about 99 pages remain
    assert rest_pages(1, 0, 990, 1000) == 99.1
    assert rest_pages(3, 0, 500, 1000) == 3 * 501 / 500
    assert rest_pages(1, 0, 999, 1000) == 1000


def test_a_month_outside_01_to_12_is_refused_never_counted_up_to():
    for bad in ("2026-13", "2026-00", "2026-1", "26-01", "2026/01", "", "2026-13-01"):
        with pytest.raises(ValueError, match="not a month"):
            months_between(bad, "2027-01")
        with pytest.raises(ValueError, match="not a month"):
            month_bounds(bad)
    with pytest.raises(ValueError, match="not a month"):
        months_between("2026-11", "2026-13")
    assert months_between("2026-12", "2027-01") == ["2026-12", "2027-01"]
