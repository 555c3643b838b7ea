"""Checking saved reports: the checks, and how their problems are reported."""
