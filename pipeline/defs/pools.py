"""How many runs write the warehouse at once: the backend's writers (1 for a DuckDB file).

Assets that write the warehouse run in the pool `warehouse`, whose limit is set on the
instance (`python -m pipeline.cli.pools`); jobs that write it whole (event reprocessing,
a purge) also take a `dagster/concurrency_key=warehouse` slot on a queued instance, but
only on the file, where a second writer would wait for the first anyway.
"""

from __future__ import annotations

import dagster as dg

from pipeline.raw.backend import Backend, warehouse_backend

WAREHOUSE_POOL = "warehouse"


def set_warehouse_pool(instance: dg.DagsterInstance, backend: Backend) -> int:
    """The pool's limit set on `instance` to the backend's writers; that limit."""
    instance.event_log_storage.set_concurrency_slots(WAREHOUSE_POOL, backend.writers)
    return backend.writers


def whole_warehouse_tags(backend: Backend | None = None) -> dict[str, str]:
    """The run tags of a job that writes the whole warehouse."""
    backend = backend or warehouse_backend()
    return {} if backend.is_lake else {"dagster/concurrency_key": WAREHOUSE_POOL}
