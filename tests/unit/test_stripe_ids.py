"""Stripe's id shapes: generated ids strictly, owner-chosen object ids as safe text."""

from __future__ import annotations

import pytest

from pipeline.stripe_ids import InvalidStripeId, checked, is_event_id, is_object_id, path_segment


@pytest.mark.parametrize("value", ["evt_1NG8Du2eZvKYlo2C", "evt_X"])
def test_event_ids_of_stripes_shape_pass(value):
    assert is_event_id(value)


@pytest.mark.parametrize(
    "value", ["evt_X/", "../events/evt_X", "x/../evt_X", "evt_X%2F", "evt_X#frag", "evt_", 7, None]
)
def test_anything_else_is_not_an_event_id(value):
    assert not is_event_id(value)
    with pytest.raises(InvalidStripeId):
        checked(value, "event")


@pytest.mark.parametrize("value", ["prod_NWjs8kKbJWmuuc", "Gold Plan", "25%OFF", "gold-v2.1", "é"])
def test_owner_chosen_object_ids_are_accepted(value):
    assert is_object_id(value)


@pytest.mark.parametrize("value", ["", ".", "..", "../x", ".hidden", "a\nb", "x" * 256, 7, None])
def test_object_ids_that_could_not_be_ids_are_refused(value):
    assert not is_object_id(value)


def test_an_object_id_is_one_url_path_segment():
    assert path_segment("Gold Plan") == "Gold%20Plan"
    assert path_segment("a/b?c#d%") == "a%2Fb%3Fc%23d%25"
    assert "/" not in path_segment("x/../evt_X")
    with pytest.raises(InvalidStripeId):
        path_segment("../charges")
