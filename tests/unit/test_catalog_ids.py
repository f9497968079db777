"""An id names its object by its longest matching prefix, every prefix once."""

from collections import Counter

from pipeline.catalog import STRIPE_OBJECTS, object_for_id


def test_each_object_prefix_names_its_own_object_even_inside_a_shorter_one():
    for obj in STRIPE_OBJECTS:
        if obj.id_prefix:
            assert object_for_id(f"{obj.id_prefix}11abcDEF") is obj, obj.name
    assert object_for_id("sub_sched_11abc").name == "subscription_schedules"
    assert object_for_id("sub_11abc").name == "subscriptions"


def test_prefixes_are_unique_and_unknown_ids_name_nothing():
    prefixes = Counter(o.id_prefix for o in STRIPE_OBJECTS if o.id_prefix)
    assert [p for p, n in prefixes.items() if n > 1] == []
    assert object_for_id("zz_11abc") is None
    assert object_for_id("SPRING25") is None  # coupon ids are chosen freely: no prefix
