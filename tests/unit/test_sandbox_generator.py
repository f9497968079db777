"""The generator's building blocks and its determinism."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from stripe_sandbox.generator import account_path, generate
from stripe_sandbox.generator.fx import Rates, Settlement, convert
from stripe_sandbox.generator.ids import IdMaker
from stripe_sandbox.generator.money import (
    DAY,
    card_fee,
    charge_fees,
    conversion_fee,
    one_off_amount,
    payout_arrival,
)
from stripe_sandbox.generator.quotas import Quotas
from stripe_sandbox.generator.scheduler import Scheduler
from stripe_sandbox.generator.subscriptions import add_month
from stripe_sandbox.presets import PRESETS, AccountConfig


def test_same_seed_gives_a_byte_identical_account_file(tmp_path):
    first = generate(PRESETS["small"], tmp_path / "a.sqlite")
    second = generate(PRESETS["small"], tmp_path / "b.sqlite")
    assert first.read_bytes() == second.read_bytes()
    code = (
        "import sys; from pathlib import Path; from stripe_sandbox.generator import generate;"
        " from stripe_sandbox.presets import PRESETS;"
        " generate(PRESETS['small'], Path(sys.argv[1]))"
    )
    third = tmp_path / "other-process.sqlite"
    subprocess.run(
        [sys.executable, "-c", code, str(third)],
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert third.read_bytes() == first.read_bytes()
    other = generate(replace(PRESETS["small"], seed=7), tmp_path / "c.sqlite")
    assert other.read_bytes() != first.read_bytes()


def test_no_temporary_or_partial_file_is_left_behind(tmp_path):
    generate(PRESETS["small"], tmp_path / "a.sqlite")
    assert [p.name for p in tmp_path.iterdir()] == ["a.sqlite"]
    with pytest.raises(TypeError):
        generate(replace(PRESETS["small"], currencies=None), tmp_path / "broken.sqlite")
    assert [p.name for p in tmp_path.iterdir()] == ["a.sqlite"]


def test_fingerprint_is_stable_across_processes_and_changes_with_any_field():
    code = "from stripe_sandbox.presets import PRESETS; print(PRESETS['small'].fingerprint())"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert runs == {PRESETS["small"].fingerprint()}
    assert re.fullmatch(r"[0-9a-f]{12}", PRESETS["small"].fingerprint())
    base = AccountConfig()
    changed = [
        replace(base, seed=43),
        replace(base, customers=301),
        replace(base, version=base.version + 1),
        replace(base, currencies=("usd",)),
    ]
    assert len({base.fingerprint(), *(c.fingerprint() for c in changed)}) == 5


def test_cached_file_is_named_by_preset_and_fingerprint(tmp_path):
    path = account_path("small", data_dir=tmp_path)
    assert path == tmp_path / f"small-{PRESETS['small'].fingerprint()}.sqlite"
    assert account_path("small", seed=1, data_dir=tmp_path) != path
    with pytest.raises(KeyError):
        account_path("nope", data_dir=tmp_path)


def test_presets_are_sized_as_promised():
    assert PRESETS["default"].months == 36
    assert PRESETS["large"].months * PRESETS["large"].charges_per_month >= 1_000_000
    assert PRESETS["small"].months < 12


def test_ids_have_a_prefix_and_24_base62_characters():
    ids = IdMaker(random.Random(1))
    made = [ids.new("ch_") for _ in range(1000)]
    assert all(re.fullmatch(r"ch_[0-9A-Za-z]{24}", i) for i in made)
    assert len(set(made)) == 1000
    assert IdMaker(random.Random(1)).new("ch_") == made[0]


def test_card_fees_are_whole_minor_units_and_yen_has_no_fixed_part():
    assert card_fee(10_000, "usd") == 320  # 2.9% + 30 cents
    assert card_fee(1_000, "eur") == 59
    assert card_fee(5_000, "jpy") == 180  # 3.6%, no 0.3 yen
    assert card_fee(1_500, "jpy") == 54


def test_yen_amounts_are_whole_yen_in_a_plausible_range():
    rng = random.Random(3)
    yen = [one_off_amount(rng, "jpy") for _ in range(2000)]
    cents = [one_off_amount(rng, "usd") for _ in range(2000)]
    assert min(yen) >= 1_500 and max(yen) <= 50_000 and all(y % 10 == 0 for y in yen)
    assert min(cents) >= 500 and max(cents) <= 50_000


def test_payouts_arrive_two_business_days_later_at_midnight():
    friday = 1794528000  # 2026-11-13, a Friday, midnight UTC
    assert payout_arrival(friday + 12 * 3600) == friday + 4 * DAY  # Tuesday
    assert payout_arrival(friday + 3 * DAY + 60) == friday + 5 * DAY  # Monday → Wednesday


def test_month_arithmetic_clamps_to_the_last_day():
    jan_31 = 1769860800  # 2026-01-31 12:00 UTC
    assert add_month(jan_31) == 1772280000  # 2026-02-28 12:00 UTC


def test_scheduler_runs_in_time_order_including_actions_added_while_running():
    scheduler, seen = Scheduler(), []

    def act(t, name):
        seen.append((t, name))
        if name == "a":
            scheduler.at(t + 1, act, "added")

    scheduler.at(10, act, "b")
    scheduler.at(5, act, "a")
    scheduler.at(10, act, "c")
    scheduler.at(99, act, "later")
    for t, action, args in scheduler.due(50):
        action(t, *args)
    assert seen == [(5, "a"), (6, "added"), (10, "b"), (10, "c")]
    assert len(scheduler) == 1


def test_quota_is_taken_once_inside_its_window_only():
    clock = 100 * DAY
    quotas = Quotas(clock, start=0)
    assert not quotas.take("payout_failed", clock - 26 * DAY)
    assert quotas.take("payout_failed", clock - 10 * DAY)
    assert not quotas.take("payout_failed", clock - 9 * DAY)


def test_exchange_rates_are_daily_deterministic_and_plausible():
    rates, again = Rates(42), Rates(42)
    start = 1794744000 - 1100 * DAY
    for currency, usd in (("eur", 1.08), ("gbp", 1.27), ("jpy", 0.0067)):
        daily = [rates.rate(currency, "usd", start + d * DAY) for d in range(0, 1100, 7)]
        assert all(abs(r / usd - 1) < 0.05 for r in daily), currency
        assert len(set(daily)) > 100  # it moves
        assert daily[0] == again.rate(currency, "usd", start + 3600)  # same day, same rate
    assert rates.rate("usd", "usd", start) == 1.0
    assert Rates(7).rate("eur", "usd", start) != rates.rate("eur", "usd", start)


def test_conversion_goes_between_minor_units_and_rounds_half_up():
    assert convert(1_000, "jpy", "usd", 0.0067) == 670  # ¥1,000 → $6.70
    assert convert(1_000, "eur", "usd", 1.08) == 1_080
    assert convert(1_001, "eur", "usd", 1.0805) == 1_082  # 1081.58 → 1082
    assert convert(5, "usd", "jpy", 1.5) == 0 and convert(50, "usd", "jpy", 149.3) == 75
    assert convert(-1_000, "gbp", "usd", 1.2705) == -1_271  # refunds round like charges
    settlement = Settlement(Rates(42), ("usd", "eur"))
    assert settlement.settle(0, 1_500, "eur") == (1_500, "eur", None)
    amount, currency, rate = settlement.settle(0, 1_500, "gbp")
    assert currency == "usd" and amount == convert(1_500, "gbp", "usd", rate)


def test_converted_charges_pay_a_conversion_fee_in_the_settlement_currency():
    assert conversion_fee(10_000) == 100
    plain = charge_fees(10_000, "usd", converted=False)
    converted = charge_fees(10_000, "usd", converted=True)
    assert [f["amount"] for f in plain] == [320]
    assert [(f["amount"], f["currency"], f["type"]) for f in converted] == [
        (320, "usd", "stripe_fee"), (100, "usd", "stripe_fee")]  # fmt: skip
