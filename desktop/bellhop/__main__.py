"""`python -m bellhop` runs the command line."""

from bellhop.cli import main

raise SystemExit(main())
