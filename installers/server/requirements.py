"""Print what `bellhop serve` needs from pyproject.toml: every dependency but Qt.

The container image (Containerfile) installs these, then Bellhop itself with --no-deps:
`serve` never loads Qt (the import-linter contracts in pyproject.toml keep the core, the
actions, the service and the command line free of it), and PySide6 is most of an
installation's size. Usage: python requirements.py [pyproject.toml] > requirements.txt
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

# Distributions only the window uses.
WINDOW_ONLY = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}


def distribution(requirement: str) -> str:
    """The normalised distribution name of a requirement ("PySide6-Essentials>=6.7" →
    "pyside6-essentials")."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if not match:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def server_requirements(pyproject: Path) -> list[str]:
    """The project's runtime dependencies without the window's."""
    with pyproject.open("rb") as file:
        project = tomllib.load(file)["project"]
    return [r for r in project["dependencies"] if distribution(r) not in WINDOW_ONLY]


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")
    print("\n".join(server_requirements(path)))
