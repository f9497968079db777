"""The dbt project as Dagster assets: staging tables and marts, data tests as asset checks."""

import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipeline.defs.column_schemas import COLUMN_SCHEMA, column_schemas
from pipeline.defs.dbt_translator import WarehouseTranslator
from pipeline.defs.resources import WarehouseResource
from pipeline.raw.declared import declare_raw_tables
from pipeline.raw.purge_register import PurgeRegister, sync_to_warehouse
from pipeline.raw.warehouse import open_warehouse
from pipeline.serving.mart_metadata import mart_metadata

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=Path("target/dagster")
)


def dbt_cli() -> DbtCliResource:
    """dbt from this interpreter's environment, whatever the PATH says."""
    return DbtCliResource(
        project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
    )


def prepared_manifest(project: DbtProject) -> Path:
    """The manifest `make manifest` prepared (`dbt parse`); never parsed on import."""
    if not project.manifest_path.exists():
        raise FileNotFoundError(
            f"the dbt manifest {project.manifest_path} is missing: run `make manifest` "
            "(`make run`, `make test` and `make ui` prepare it first)"
        )
    return project.manifest_path


DBT_BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")
"""The scheduled build: every model and data test. dbt's unit tests check SQL logic on fixed
inputs, so, as dbt advises, they run in CI (tests/integration/test_dbt_unit_tests.py), not on
every refresh."""


def keep_partial_parse(run_target: Path, project: DbtProject) -> None:
    """The run's parse state becomes the project's, so the next run parses only what changed.

    dagster-dbt copies `partial_parse.msgpack` from the project's target into each run's; dbt
    parses the whole project again when the vars (the warehouse path) differ from the parse
    that wrote it, as they do after `make manifest`. Replaced atomically; a missing file is
    left alone.
    """
    state = Path(run_target) / PARTIAL_PARSE
    if not state.exists():
        return
    kept = project.project_dir / project.target_path / PARTIAL_PARSE
    staged = kept.with_name(f".{PARTIAL_PARSE}.{os.getpid()}")
    shutil.copyfile(state, staged)
    os.replace(staged, kept)


PARTIAL_PARSE = "partial_parse.msgpack"

MARTS_PREFIX = "marts__"
"""Outputs of mart models (`marts__<mart>`): row counts, and for transfers_monthly its totals."""


@dbt_assets(
    manifest=prepared_manifest(dbt_project),
    dagster_dbt_translator=WarehouseTranslator(),
    project=dbt_project,
    pool="warehouse",
)
def stripe_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """`dbt build`: the staging views over raw, the intermediate steps and the marts, each
    tested as it is built (its dbt tests are its asset checks)."""
    with open_warehouse(warehouse.warehouse) as con:  # every source, the purge register too
        declare_raw_tables(con)
        sync_to_warehouse(PurgeRegister(Path(warehouse.data_dir)), con)
    invocation = dbt.cli(
        [*DBT_BUILD_ARGS, *warehouse.dbt_vars()], context=context, raise_on_error=False
    )
    held = list(invocation.stream())  # dbt holds the warehouse file until it ends
    keep_partial_parse(invocation.target_path, dbt_project)
    yield from with_warehouse_metadata(held, invocation.manifest, warehouse)
    if error := invocation.get_error():  # what dbt built before failing is still reported
        raise error


def with_warehouse_metadata(
    events: list[Any], manifest: Mapping[str, Any], warehouse: WarehouseResource
) -> Iterator[Any]:
    """dbt's events in its (topological) order, each model's output with its columns as built
    and, for a mart, its row count (and for transfers_monthly its totals per currency)."""
    outputs = [e for e in events if isinstance(e, dg.Output)]
    unique_ids = {o.output_name: str(metadata_value(o.metadata["unique_id"])) for o in outputs}
    schemas = column_schemas(warehouse.warehouse, manifest, unique_ids.values())
    relations = {name: name.replace(MARTS_PREFIX, "marts.", 1) for name in unique_ids
                 if name.startswith(MARTS_PREFIX)}  # fmt: skip
    extra = mart_metadata(warehouse.warehouse, relations)
    for event in events:
        if isinstance(event, dg.Output):
            schema = schemas.get(unique_ids[event.output_name])
            added = {COLUMN_SCHEMA: schema} if schema else {}
            event = event.with_metadata(
                {**event.metadata, **added, **extra.get(event.output_name, {})}
            )
        yield event


def metadata_value(value: Any) -> Any:
    """A raw metadata value, whether or not Dagster has wrapped it yet."""
    return value.value if isinstance(value, dg.MetadataValue) else value
