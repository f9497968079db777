"""The dbt project as Dagster assets: staging views and marts, tests as asset checks."""

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipeline.defs.resources import WarehouseResource
from pipeline.raw.purge_register import PurgeRegister, sync_to_warehouse
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


MARTS_PREFIX = "marts__"
"""Outputs of mart models (`marts__<mart>`): row counts, and for transfers_monthly a chart."""


class WarehouseTranslator(DagsterDbtTranslator):
    """Groups follow the dbt folders (staging, intermediate, marts, monitoring)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "seed":
            return "staging"
        return fqn[1] if len(fqn) > 2 else "marts"


@dbt_assets(
    manifest=prepared_manifest(dbt_project),
    dagster_dbt_translator=WarehouseTranslator(),
    project=dbt_project,
    pool="warehouse",
)
def stripe_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """Staging views and marts built by `dbt build`; dbt tests report as asset checks."""
    with duckdb.connect(str(warehouse.warehouse)) as con:  # the purge register, as a source
        sync_to_warehouse(PurgeRegister(Path(warehouse.data_dir)), con)
    held: list[Any] = []  # from the first mart on: dbt holds the warehouse until it ends
    for event in dbt.cli(["build", *warehouse.dbt_vars()], context=context).stream():
        if held or (isinstance(event, dg.Output) and event.output_name.startswith(MARTS_PREFIX)):
            held.append(event)
        else:
            yield event
    marts = [e for e in held if isinstance(e, dg.Output) and e.output_name.startswith(MARTS_PREFIX)]
    relations = {o.output_name: o.output_name.replace(MARTS_PREFIX, "marts.", 1) for o in marts}
    extra = mart_metadata(warehouse.warehouse, Path(warehouse.data_dir) / "reports", relations)
    for event in held:  # in dbt's order, which is topological
        if isinstance(event, dg.Output) and event.output_name in extra:
            event = event.with_metadata({**event.metadata, **extra[event.output_name]})
        yield event
