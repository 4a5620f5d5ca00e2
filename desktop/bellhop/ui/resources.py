"""Where icons, samples and translations are: the source tree, or inside an installed bundle."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


@cache
def resources_dir() -> Path:
    """The resources folder: $BELLHOP_RESOURCES, the bundle's, or the source tree's."""
    override = os.environ.get("BELLHOP_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"


def resource(*parts: str) -> Path:
    """A file under the resources folder."""
    return resources_dir().joinpath(*parts)


@cache
def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons (an empty icon if it is missing)."""
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()
