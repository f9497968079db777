"""`make run`'s progress: one rich bar per stage, left as one line when the stage ends.

The bars follow what the run logs, so no step knows about them: Dagster's step
events (`STEP_START` of a step that opens a stage, the end of each step), the
raw asset's `"{done}/{total} {object} {month}: {rows} rows (…)"` lines and
dbt's `"{n} of {total} OK …"` lines (`ProgressHandler`).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

EXTRACTING = re.compile(r"^Extracting (\d+) objects × (\d+) months")
EXTRACTED = re.compile(r"^(\d+)/(\d+) (\S+) (\d{4}-\d{2}): (\d+) rows")
DBT_NODE_DONE = re.compile(r"^(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b(?! hook)")
STEP_ENDS = frozenset({"STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"})


@dataclass(frozen=True)
class Stage:
    """A bar: its name, how many units make it whole (None: known later), their name."""

    name: str
    total: int | None = None
    unit: str = "steps"


class RunProgress:
    """The bar of the stage under way; `begin` ends the previous one (left as one line)."""

    def __init__(self, console: Console, *, enabled: bool = True) -> None:
        self.console, self.enabled = console, enabled
        self.stage: Stage | None = None
        self._bar: Progress | None = None
        self._task = TaskID(0)

    def begin(self, stage: Stage) -> None:
        self.end()
        self.stage = stage
        self._bar = Progress(
            TextColumn("{task.description:<17}"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}  {task.fields[detail]}"),
            TimeRemainingColumn(elapsed_when_finished=True),
            console=self.console, transient=False, disable=not self.enabled,
            redirect_stdout=False, redirect_stderr=False,
        )  # fmt: skip
        self._task = self._bar.add_task(stage.name, total=stage.total, unit=stage.unit, detail="")
        self._bar.start()

    def update(self, **fields: object) -> None:
        """Rich's task fields: `completed`, `total`, `advance`, `detail`."""
        if self._bar is not None:
            self._bar.update(self._task, **fields)

    def elapsed(self) -> float:
        """Seconds since the stage began."""
        return (self._bar.tasks[0].elapsed or 0.0) if self._bar else 0.0

    def end(self) -> None:
        """Stop the bar as it is (whole, or where a failure left it)."""
        if self._bar is not None:
            self._bar.stop()
        self._bar, self.stage = None, None

    def __enter__(self) -> RunProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.end()


class ProgressHandler(logging.Handler):
    """Drives `progress` from the run's log records; `stages`: step key → the stage it opens."""

    def __init__(self, progress: RunProgress) -> None:
        super().__init__(logging.DEBUG)
        self.progress = progress
        self.stages: Mapping[str, Stage] = {}
        self.months_total = 0
        self.month_jobs: Counter[str] = Counter()
        self.rows = 0

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is not None:
            self.on_step_event(event.event_type_value, event.step_key)
        else:
            self.on_message(meta.get("orig_message") or record.getMessage())

    def on_step_event(self, kind: str, step_key: str | None) -> None:
        stage = self.stages.get(step_key or "")
        if kind == "STEP_START" and stage is not None and stage != self.progress.stage:
            self.progress.begin(stage)
        elif kind in STEP_ENDS and self.progress.stage and self.progress.stage.unit == "steps":
            self.progress.update(advance=1)

    def on_message(self, text: str) -> None:
        if started := EXTRACTING.match(text):
            self.months_total, self.rows = int(started[2]), 0
            self.month_jobs.clear()
        elif extracted := EXTRACTED.match(text):
            self.on_extracted(int(extracted[1]), int(extracted[2]), extracted[4], int(extracted[5]))
        elif node := DBT_NODE_DONE.match(text):  # "n of total": n is the node's place, not a count
            self.progress.update(advance=1, total=int(node[2]))

    def on_extracted(self, done: int, total: int, month: str, rows: int) -> None:
        self.rows += rows
        self.month_jobs[month] += 1
        per_month = total / self.months_total if self.months_total else total
        months_done = sum(1 for n in self.month_jobs.values() if n >= per_month)
        months = f"{months_done}/{self.months_total or '?'}"
        detail = f"{self.rows:,} objects · months {months} · {self.rows_rate():,.0f}/s"
        self.progress.update(completed=done, total=total, detail=detail)

    def rows_rate(self) -> float:
        elapsed = self.progress.elapsed()
        return self.rows / elapsed if elapsed else 0.0
