"""GUI test fixtures: the real window on the real engine thread, offscreen, temporary home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


@pytest.fixture
def bellhop_app(qtbot: Any, home: Path, qapp: Any) -> Iterator[Any]:
    """A started BellhopApp (window shown) on a free port; stopped cleanly afterwards."""
    from bellhop.ui.app import BellhopApp, make_application

    make_application()
    app = BellhopApp(qapp, home, port=0)
    with qtbot.waitSignal(app.bridge.started, timeout=15000):
        app.start()
    qtbot.addWidget(app.window)
    yield app
    app.shutdown()
    app.instance.deleteLater()


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots from tests go (test-artifacts/, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
