"""Every Dagster object: resources, partitions, assets, jobs, schedules, sensors, definitions."""
