"""The settings a run takes from the environment, checked before any work starts.

The one reader of `STRIPE_*` variables: everything else asks `stripe_settings()`
(or `debug_requested()`).

Each check raises `SettingsError` with one line that names the setting, what is
wrong and what to do; a key is never shown but masked as Stripe masks it
(first 8 and last 4 characters). Nothing here reads the environment at import.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.months import month_of, parse_month
from pipeline.stripe_ids import is_account_id

KEY_SHAPE = re.compile(r"(sk|rk)_(test|live)_[A-Za-z0-9]+")
DEFAULT_API_BASE = "https://api.stripe.com"
WEBHOOK_SECRET_ENV = "STRIPE_WEBHOOK_SECRET"
DEBUG_ENV = "STRIPE_WAREHOUSE_DEBUG"


class SettingsError(ValueError):
    """A setting that cannot work; its text is one line fit for a terminal."""


def mask_key(key: str) -> str:
    """`sk_test_****abcd`, as Stripe prints keys; short keys keep only their prefix."""
    if len(key) <= 16:
        return key[: min(8, len(key) // 2)] + "****"
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


def check_api_key(key: str, name: str = "STRIPE_API_KEY") -> str:
    """`key` when it has a secret or restricted key's shape (`sk_`/`rk_` + test/live)."""
    key = key.strip()
    if KEY_SHAPE.fullmatch(key):
        return key
    if key.startswith("pk_"):
        raise SettingsError(
            f"{name} is a publishable key ({mask_key(key)}), which cannot read data: "
            "use a secret (sk_…) or restricted (rk_…) key"
        )
    raise SettingsError(
        f"{name} ({mask_key(key)}) does not look like a Stripe key: expected "
        "sk_test_…, sk_live_…, rk_test_… or rk_live_… (Dashboard → Developers → API keys)"
    )


def check_api_base(base: str, name: str = "STRIPE_API_BASE") -> str:
    """An http(s) URL with a host, without a trailing slash."""
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"{name}={base!r} is not a URL: use e.g. https://api.stripe.com or http://127.0.0.1:12111"
        )
    return base.strip().rstrip("/")


def check_month(value: str, name: str, latest: str | None = None) -> str:
    """`YYYY-MM` with a month 01–12, not after `latest` (the current month by default)."""
    try:
        year, mon = parse_month(value)
    except ValueError:
        raise SettingsError(
            f"{name}={value!r} is not a month: use YYYY-MM with a month 01–12, e.g. 2024-01"
        ) from None
    month = f"{year:04d}-{mon:02d}"
    latest = latest or month_of(int(time.time()))
    if month > latest:
        raise SettingsError(f"{name}={month} is in the future: the latest month is {latest}")
    return month


def check_month_range(first: str, last: str, latest: str | None = None) -> tuple[str, str]:
    """`--from`/`--to`, each a month no later than `latest`, and in order."""
    first, last = check_month(first, "--from", latest), check_month(last, "--to", latest)
    if first > last:
        raise SettingsError(f"--from {first} is after --to {last}: give the earlier month first")
    return first, last


@dataclass(frozen=True)
class StripeSettings:
    """What the environment says about the Stripe account to read."""

    api_key: str | None = field(default=None, repr=False)
    api_base: str = DEFAULT_API_BASE
    stripe_account: str | None = None
    start_month: str | None = None
    sandbox_preset: str = "default"
    webhook_secrets: tuple[str, ...] = field(default=(), repr=False)  # accepted while rotating

    @property
    def host(self) -> str:
        return urlsplit(self.api_base).netloc


def stripe_settings(
    env: Mapping[str, str] | None = None,
    latest_month: str | None = None,
    presets: Collection[str] = (),
) -> StripeSettings:
    """Every Stripe setting of `env` (the process environment by default), checked;
    `STRIPE_SANDBOX_PRESET` against `presets` when given (the sandbox's starter knows them);
    `STRIPE_WEBHOOK_SECRET` is comma-separated, blanks dropped."""
    env = os.environ if env is None else env
    key = env.get("STRIPE_API_KEY") or None
    account = env.get("STRIPE_ACCOUNT") or None
    if account is not None and not is_account_id(account):
        raise SettingsError(
            f"STRIPE_ACCOUNT={account[:40]!r} is not a connected account id (acct_…)"
        )
    start = env.get("STRIPE_START_MONTH") or None
    preset = env.get("STRIPE_SANDBOX_PRESET") or "default"
    if presets and preset not in presets:
        raise SettingsError(f"STRIPE_SANDBOX_PRESET={preset!r} is not one of {', '.join(presets)}")
    return StripeSettings(
        api_key=check_api_key(key) if key else None,
        api_base=check_api_base(env.get("STRIPE_API_BASE") or DEFAULT_API_BASE),
        stripe_account=account,
        start_month=check_month(start, "STRIPE_START_MONTH", latest_month) if start else None,
        sandbox_preset=preset,
        webhook_secrets=webhook_secrets(env),
    )


RESOURCE_VARIABLES: dict[str, str] = {
    "api_key": "STRIPE_API_KEY",
    "api_base": "STRIPE_API_BASE",
    "stripe_account": "STRIPE_ACCOUNT",
    "start_month": "STRIPE_START_MONTH",
    "sandbox_preset": "STRIPE_SANDBOX_PRESET",
}
"""The Stripe resource's fields and the variables that set them (Dagster reads them)."""


def resource_variables_set(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The resource fields whose variable is set: unset ones keep the field's default."""
    env = os.environ if env is None else env
    return {name: var for name, var in RESOURCE_VARIABLES.items() if env.get(var)}


def webhook_secrets(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The comma-separated secrets of `STRIPE_WEBHOOK_SECRET` (several while rotating),
    blanks dropped."""
    env = os.environ if env is None else env
    return tuple(s.strip() for s in env.get(WEBHOOK_SECRET_ENV, "").split(",") if s.strip())


def debug_requested(env: Mapping[str, str] | None = None) -> bool:
    """`STRIPE_WAREHOUSE_DEBUG` set to anything but empty or `0`: show tracebacks."""
    env = os.environ if env is None else env
    return env.get(DEBUG_ENV, "") not in ("", "0")


def check_data_dir(folder: Path) -> Path:
    """`folder` once a file could be made in it, or in the folder it would be made in
    when it does not exist yet (the file is removed at once; nothing else is made)."""
    folder = Path(folder)
    where = folder.absolute()
    while not where.exists() and where != where.parent:
        where = where.parent
    try:
        probe = where / f".write-check.{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise SettingsError(
            f"the data folder {folder} is not writable ({error.strerror}): "
            "make it writable, or run from a folder where data/ can be written"
        ) from None
    return folder
