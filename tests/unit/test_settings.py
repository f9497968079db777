"""Settings checked before work: each wrong one is one line that names it; keys masked."""

from __future__ import annotations

import pytest

from pipeline.settings import (
    SettingsError,
    check_api_base,
    check_api_key,
    check_data_dir,
    check_month,
    check_month_range,
    debug_requested,
    mask_key,
    stripe_settings,
)
from stripe_sandbox.starter import PRESET_NAMES

KEY = "sk_live_" + "51AbCdEfGhIjKlMnOpQrStUvWx9876"  # made up, split for secret scanners


def one_line(error: pytest.ExceptionInfo) -> str:
    text = str(error.value)
    assert "\n" not in text
    return text


@pytest.mark.parametrize("value", ["2026-13", "2026-00", "2026-1", "2026", "january", "2026-01x"])
def test_a_month_that_is_not_one_names_the_setting(value):
    with pytest.raises(SettingsError) as error:
        check_month(value, "STRIPE_START_MONTH", latest="2026-12")
    assert one_line(error).startswith(f"STRIPE_START_MONTH={value!r} is not a month")


def test_a_month_after_now_is_refused_and_a_day_is_taken_as_its_month():
    with pytest.raises(SettingsError, match="in the future: the latest month is 2026-11"):
        check_month("2026-12", "STRIPE_START_MONTH", latest="2026-11")
    assert check_month("2024-01-15", "--from", latest="2026-11") == "2024-01"
    with pytest.raises(SettingsError, match="in the future"):
        check_month("2999-01", "--to")  # against the wall clock


def test_a_range_must_be_in_order():
    assert check_month_range("2024-01", "2024-03", "2026-11") == ("2024-01", "2024-03")
    with pytest.raises(SettingsError, match="--from 2024-05 is after --to 2024-03"):
        check_month_range("2024-05", "2024-03", "2026-11")
    with pytest.raises(SettingsError, match="--from='2026-13'"):
        check_month_range("2026-13", "2027-01", "2026-11")


def test_keys_are_checked_for_shape_and_never_shown_whole():
    for good in ("sk_test_x", "rk_live_abc123", KEY):
        assert check_api_key(good) == good
    for bad in ("sk_prod_123", "whsec_123", "sk_test_", KEY + "!", "Bearer " + KEY):
        with pytest.raises(SettingsError) as error:
            check_api_key(bad)
        assert KEY not in one_line(error) and "does not look like a Stripe key" in str(error.value)
    with pytest.raises(SettingsError, match="publishable key"):
        check_api_key("pk_live_" + KEY[8:])
    assert mask_key(KEY) == "sk_live_" + "*" * (len(KEY) - 12) + "9876"
    assert mask_key("sk_test_x") == "sk_t****"


def test_api_base_and_account():
    assert check_api_base("http://127.0.0.1:12111/") == "http://127.0.0.1:12111"
    for bad in ("127.0.0.1:12111", "ftp://host", "https://"):
        with pytest.raises(SettingsError, match=r"STRIPE_API_BASE=.* is not a URL"):
            check_api_base(bad)
    with pytest.raises(SettingsError, match="STRIPE_ACCOUNT='cus_1' is not a connected account"):
        stripe_settings({"STRIPE_ACCOUNT": "cus_1"})
    settings = stripe_settings({"STRIPE_API_KEY": KEY, "STRIPE_START_MONTH": "2024-01"})
    assert settings.start_month == "2024-01" and settings.host == "api.stripe.com"
    assert KEY not in repr(settings)


def test_the_data_folder_check_writes_nothing(tmp_path):
    assert check_data_dir(tmp_path / "data" / "deeper") == tmp_path / "data" / "deeper"
    assert list(tmp_path.iterdir()) == []
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SettingsError, match=r"data folder .* is not writable"):
        check_data_dir(blocker / "data")  # a file where a folder should be


def test_the_sandbox_preset_must_be_known():
    assert (
        stripe_settings({"STRIPE_SANDBOX_PRESET": "small"}, presets=PRESET_NAMES).sandbox_preset
        == "small"
    )
    with pytest.raises(SettingsError, match="STRIPE_SANDBOX_PRESET='tiny' is not one of small, "):
        stripe_settings({"STRIPE_SANDBOX_PRESET": "tiny"}, presets=PRESET_NAMES)


def test_webhook_secrets_and_debug_are_read_here_too():
    settings = stripe_settings({"STRIPE_WEBHOOK_SECRET": " whsec_a, ,whsec_b"})
    assert settings.webhook_secrets == ("whsec_a", "whsec_b")
    assert "whsec_a" not in repr(settings)
    assert stripe_settings({}).webhook_secrets == ()
    assert debug_requested({"STRIPE_WAREHOUSE_DEBUG": "1"})
    assert not debug_requested({"STRIPE_WAREHOUSE_DEBUG": "0"}) and not debug_requested({})
