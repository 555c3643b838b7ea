"""`python -m guaranteekit`."""

from guaranteekit.cli.parser import entry

raise SystemExit(entry())
