"""`python -m pipeline.cli.purge cus_…`: purge a customer, then rebuild and publish the marts.

Email, name, phone, address and card fingerprint, last4 and brand are blanked in
the raw Parquet, DuckDB and every payload that embeds the customer; ids, amounts
and the financial chain stay. The purge is recorded in `data/purges/` and stays
in force when the customer is extracted again or arrives in an event. The
landing files (webhook deliveries) are blanked too, at the same byte length.

Refused, with nothing recorded: an id Stripe could not have issued, and a
customer the warehouse has never seen (unless `--force`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import dagster as dg
import typer

from pipeline.commands import exit_code
from pipeline.defs.assets.dbt import stripe_dbt_models
from pipeline.defs.assets.serving import published_marts
from pipeline.defs.definitions import defs
from pipeline.purge.apply import PurgeResult, purge_customer
from pipeline.purge.guard import PurgeRefused, check_customer_id, check_purge
from pipeline.settings import stripe_settings


def purge_and_rebuild(
    resources: dict, customer_id: str, instance: dg.DagsterInstance, *, force: bool = False
) -> PurgeResult:
    """Purge the raw layer, then run dbt and publish so the marts forget too."""
    warehouse = resources["warehouse"]
    result = purge_customer(Path(warehouse.data_dir), warehouse.warehouse, customer_id, force=force)
    dg.materialize([stripe_dbt_models, published_marts], resources=resources, instance=instance)
    return result


def purge(customer_id: str, *, force: bool, delete: bool) -> int:
    """Checks first (the id, a customer the warehouse has seen), then the purge and the marts."""
    try:
        check_customer_id(customer_id)
        resources = dict(defs.resources)
        warehouse = resources["warehouse"].warehouse
        check_purge(warehouse, customer_id, force=force)  # before Dagster starts
        instance = dg.DagsterInstance.get()
        result = purge_and_rebuild(resources, customer_id, instance, force=force)
    except PurgeRefused as refused:
        print(f"purge refused: {refused}", file=sys.stderr)
        return 2
    partitions = sum(result.partitions.values())
    print(f"Purged {customer_id}: rewrote {partitions} raw partitions, {result.events} "
          f"events, {result.landing_lines} landing lines; marts rebuilt")  # fmt: skip
    if delete:
        delete_in_stripe(customer_id)
    return 0


app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


@app.command(help=__doc__)
def command(
    customer_id: Annotated[str, typer.Argument(show_default=False)],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="purge a well-formed id the warehouse has never seen (e.g. arriving later)",
        ),
    ] = False,
    delete_in_stripe: Annotated[
        bool,
        typer.Option(
            "--delete-in-stripe",
            help="also delete the customer in Stripe (needs a key with write access; irreversible)",
        ),
    ] = False,
) -> None:
    raise typer.Exit(purge(customer_id, force=force, delete=delete_in_stripe))


def main(argv: list[str] | None = None) -> int:
    """The command's exit code (a usage error: 2)."""
    return exit_code(app, argv, "python -m pipeline.cli.purge")


def delete_in_stripe(customer_id: str) -> None:
    """`DELETE /v1/customers/{id}` with the official SDK; the embedded sandbox is read-only."""
    import stripe

    key = stripe_settings().api_key
    if not key:
        raise SystemExit(
            "--delete-in-stripe needs STRIPE_API_KEY: the embedded sandbox is read-only"
        )
    client = stripe.StripeClient(key, max_network_retries=2)
    deleted = client.v1.customers.delete(customer_id)
    print(f"Deleted in Stripe: {deleted.id} (deleted={deleted.deleted})")


if __name__ == "__main__":
    sys.exit(main())
