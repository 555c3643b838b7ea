"""`python -m guaranteekit`."""

from guaranteekit.cli import entry

raise SystemExit(entry())
