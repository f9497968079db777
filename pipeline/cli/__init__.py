"""Command-line entry points: thin wrappers that check settings, then run Dagster jobs or steps."""
