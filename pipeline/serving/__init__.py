"""Serving: the marts published for BI readers away from the writer's lock, their metadata."""
