"""Latency, rate limits and faults: seeded, so the same config misbehaves the same way."""

from __future__ import annotations

from collections import Counter

import pytest
import typer
from typer.testing import CliRunner

from stripe_sandbox.__main__ import main as sandbox_main
from stripe_sandbox.__main__ import with_realism_options
from stripe_sandbox.realism import Fault, Realism, RealismConfig, TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_a_one_second_burst_then_refills_at_rate():
    clock = FakeClock()
    bucket = TokenBucket(5, clock)
    assert [bucket.take() for _ in range(7)] == [True] * 5 + [False] * 2
    clock.now += 0.2  # one token back at 5/s
    assert [bucket.take(), bucket.take()] == [True, False]
    clock.now += 100  # refills to capacity, not beyond
    assert sum(bucket.take() for _ in range(10)) == 5


def test_endpoint_limits_are_per_endpoint_and_global_limit_is_shared():
    clock = FakeClock()
    per_endpoint = Realism(RealismConfig(endpoint_rate_limit=2), clock)
    assert [per_endpoint.admit("GET /v1/charges") for _ in range(3)] == [True, True, False]
    assert per_endpoint.admit("GET /v1/customers")
    shared = Realism(RealismConfig(rate_limit=3), clock)
    answers = [shared.admit(e) for e in ("GET /v1/a", "GET /v1/b", "GET /v1/c", "GET /v1/d")]
    assert answers == [True, True, True, False]


def test_faults_follow_their_shares_and_repeat_for_a_seed():
    config = RealismConfig(fault_rate=0.1, drop_rate=0.05, slow_rate=0.02, realism_seed=7)
    first = Realism(config)
    sequence = [first.draw_fault() for _ in range(20_000)]
    again = Realism(config)
    assert [again.draw_fault() for _ in range(20_000)] == sequence
    shares = Counter(sequence)
    assert shares[Fault.ERROR] / 20_000 == pytest.approx(0.10, abs=0.01)
    assert shares[Fault.DROP] / 20_000 == pytest.approx(0.05, abs=0.01)
    assert shares[Fault.SLOW] / 20_000 == pytest.approx(0.02, abs=0.005)
    other = Realism(RealismConfig(fault_rate=0.1, drop_rate=0.05, slow_rate=0.02, realism_seed=8))
    assert [other.draw_fault() for _ in range(20_000)] != sequence


def test_latency_is_drawn_around_its_mean_and_slow_answers_add_slow_ms():
    config = RealismConfig(latency_ms=300, latency_jitter_ms=50, slow_ms=2000, realism_seed=1)
    draws = Realism(config)
    delays = [draws.delay_seconds(None) for _ in range(5000)]
    assert sum(delays) / len(delays) == pytest.approx(0.3, abs=0.01)
    assert min(delays) >= 0 and max(delays) > 0.4
    assert Realism(RealismConfig(slow_ms=2000)).delay_seconds(Fault.SLOW) == 2.0
    assert Realism(RealismConfig()).delay_seconds(None) == 0.0


def test_default_config_is_off_and_cli_flags_round_trip():
    assert not Realism(RealismConfig(realism_seed=3)).enabled
    assert Realism(RealismConfig()).draw_fault() is None
    config = RealismConfig(latency_ms=20.0, rate_limit=25.0, drop_rate=0.1, realism_seed=9)
    seen = {}
    app = typer.Typer()

    @app.command()
    @with_realism_options
    def probe(**knobs) -> None:
        seen.update(knobs)

    assert CliRunner().invoke(app, config.cli_args()).exit_code == 0
    assert RealismConfig(**seen) == config
    assert "--realism-seed" in config.cli_args()


def test_an_unknown_forgery_is_a_usage_error():
    assert sandbox_main(["deliver", "--url", "http://127.0.0.1:9", "--secret", "whsec_x",
                         "--forge", "bogus"]) == 2  # fmt: skip
