"""The `warehouse` pool's limit on the Dagster instance, from the warehouse's backend.

Every asset that writes the warehouse runs in the pool `warehouse`. A DuckDB file takes one
writing process at a time; a DuckLake takes `WAREHOUSE_WRITERS` (default 4). `make ui` and
`make run` set it before they start, so switching backends switches the limit:

    python -m pipeline.cli.pools        # or: dagster instance concurrency set warehouse N
"""

from __future__ import annotations

import sys

import dagster as dg

from pipeline.defs.pools import WAREHOUSE_POOL, set_warehouse_pool
from pipeline.raw.backend import warehouse_backend
from pipeline.settings import SettingsError


def main() -> int:
    try:
        backend = warehouse_backend()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    with dg.DagsterInstance.get() as instance:
        limit = set_warehouse_pool(instance, backend)
    kind = "DuckLake" if backend.is_lake else "one DuckDB file"
    print(f"Dagster pool {WAREHOUSE_POOL}: {limit} writer{'s' * (limit != 1)} at once ({kind})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
