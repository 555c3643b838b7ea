"""Comparison documents: their model, how they are built from reports, and how they are rendered."""
