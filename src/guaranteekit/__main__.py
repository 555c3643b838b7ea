"""`python -m guaranteekit`."""

from guaranteekit.cli import main

raise SystemExit(main())
