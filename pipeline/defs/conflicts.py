"""Steps that a concurrent writer's commit made DuckLake refuse are run again by Dagster."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import dagster as dg
import duckdb

from pipeline.raw.backend import is_commit_conflict

CONFLICT_RETRIES = 5
F = TypeVar("F", bound=Callable[..., Any])


def retried_on_conflict(body: F) -> F:
    """`body` (an op's or asset's function, idempotent) as a step Dagster retries, up to
    `CONFLICT_RETRIES` times a second apart, when the lake refuses its commit because
    another run's conflicted; any other error fails the step as before."""

    @functools.wraps(body)
    def step(*args: Any, **kwargs: Any) -> Any:
        try:
            return body(*args, **kwargs)
        except duckdb.TransactionException as error:
            if not is_commit_conflict(error):
                raise
            raise dg.RetryRequested(max_retries=CONFLICT_RETRIES, seconds_to_wait=1) from error

    return step  # type: ignore[return-value]
