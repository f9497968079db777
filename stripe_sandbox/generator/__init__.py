"""The sandbox generator: a deterministic synthetic Stripe account written to a store file.

`generate(config, path)` plays the account day by day from its start to the
clock (`simulation`), streaming every object to `StoreWriter` once its state
at the clock is known; the file appears whole or not at all.
`ensure_account(preset)` returns the cached file for a preset, generating it
only when missing. The same config always gives a byte-identical file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from stripe_sandbox.generator.simulation import simulate
from stripe_sandbox.generator.sink import Sink
from stripe_sandbox.presets import PRESETS, AccountConfig
from stripe_sandbox.store import StoreWriter

BACKGROUND_CHARGES = 100_000
"""From this many one-off charges on, a child process writes the store beside the simulation."""


def generate(config: AccountConfig, path: Path, background: bool | None = None) -> Path:
    """Write the account of `config` to `path` (atomically) and return the path.

    `background` (default: for big accounts) writes the file from a child
    process, in parallel with the simulation; the file is the same either way.
    """
    if background is None:
        background = config.months * config.charges_per_month >= BACKGROUND_CHARGES
    writer = StoreWriter(Path(path), background=background)
    try:
        sink = Sink(writer)
        meta = simulate(config, sink)
        writer.set_meta(**meta)
    except BaseException:
        writer.abort()
        raise
    return writer.close()


def account_path(
    preset: str = "default", seed: int | None = None, data_dir: Path = Path("data/sandbox")
) -> Path:
    """Where the cached account file of a preset (and seed) lives."""
    return Path(data_dir) / f"{preset}-{config_for(preset, seed).fingerprint()}.sqlite"


def config_for(preset: str, seed: int | None = None) -> AccountConfig:
    if preset not in PRESETS:
        raise KeyError(f"unknown sandbox preset {preset!r}; choose one of {sorted(PRESETS)}")
    config = PRESETS[preset]
    return config if seed is None else replace(config, seed=seed)


def ensure_account(
    preset: str = "default", seed: int | None = None, data_dir: Path = Path("data/sandbox")
) -> Path:
    """The account file of a preset, generated only when it is not cached yet."""
    path = account_path(preset, seed, data_dir)
    if not path.exists():
        generate(config_for(preset, seed), path)
    return path
