"""Reports drawn from the marts: charts and figures for Dagster metadata."""
