"""The bundle's entry point: the `bellhop` command (GUI by default)."""

import sys

from bellhop.cli import main

if __name__ == "__main__":
    sys.exit(main())
