"""GUI test fixtures: the real window on the real engine thread, offscreen, temporary home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import start_app, stop_app

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


@pytest.fixture
def bellhop_app(qtbot: Any, home: Path, qapp: Any) -> Iterator[Any]:
    """A started BellhopApp (window shown) on a free port; stopped cleanly afterwards."""
    app = start_app(qtbot, qapp, home)
    yield app
    stop_app(app)


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots from tests go (test-artifacts/, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
