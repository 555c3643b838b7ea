"""Scoring: from answers to results, and the analysis built on it."""
