"""Monthly partitions by the UTC month of `created`; their start is known without I/O.

Loading the definitions reads no file and asks no API: the partitions start at
`STRIPE_START_MONTH`, else at the embedded sandbox account's first month when no
key is set, else at `EARLIEST_MONTH` (before Stripe began). The account's own
first month is found when a run needs it (`pipeline.defs.first_month`), and
runs skip the months before it without a request.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import dagster as dg

from pipeline.extract.first_month import EARLIEST_MONTH
from pipeline.settings import SettingsError, stripe_settings
from stripe_sandbox.starter import PRESET_NAMES, preset_first_month


def partitions_start(env: Mapping[str, str] | None = None) -> str:
    """The first partition, from the settings alone (the process environment by default);
    a wrong setting falls back here and is reported in one line by the run's checks."""
    try:
        settings = stripe_settings(env, presets=PRESET_NAMES)
    except SettingsError as error:
        logging.getLogger(__name__).info("partitions start at a fallback month: %s", error)
        return EARLIEST_MONTH
    if settings.start_month:
        return settings.start_month
    return EARLIEST_MONTH if settings.api_key else preset_first_month(settings.sandbox_preset)


monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date=partitions_start(), fmt="%Y-%m", end_offset=1
)
