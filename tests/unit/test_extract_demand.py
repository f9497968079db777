"""Little's-law demand: spare room from the rate and the unqueued answer time."""

from __future__ import annotations

from pipeline.extract.demand import Demand


def test_no_spare_before_any_answer():
    assert Demand(25, 25).spare("/v1/charges") == 0


def test_spare_is_rate_times_latency_minus_active():
    demand = Demand(100, 25, headroom=1.0)
    demand.observe_latency(0.4)
    assert demand.spare("/v1/charges") == 10  # 25/s per endpoint × 0.4 s
    with demand.waiting("/v1/charges"), demand.waiting("/v1/charges"):
        assert demand.spare("/v1/charges") == 8
        assert demand.spare("/v1/events") == 10
    assert demand.spare("/v1/charges") == 10


def test_overall_rate_and_max_concurrency_cap_the_spare():
    demand = Demand(100, 25, max_concurrency=12, headroom=1.0)
    demand.observe_latency(1.0)
    with demand.waiting("/v1/charges"), demand.waiting("/v1/events"):
        assert demand.spare("/v1/customers") == 10


def test_queueing_delay_does_not_raise_the_target():
    demand = Demand(25, 25, headroom=1.0)
    for seconds in [0.3, 2.0, 3.5, 4.0]:  # an overloaded server answers slower and slower
        demand.observe_latency(seconds)
    assert demand.spare("/v1/charges") == 7  # still 25/s × 0.3 s
