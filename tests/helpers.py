"""Helpers shared by tests (a plain module: two conftest.py files cannot share a name)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TESTS = Path(__file__).parent
REPO = TESTS.parent
SAMPLES = REPO / "resources" / "samples"


def load_sample(name: str) -> bytes:
    """The raw bytes of a sample payload shipped in resources/samples."""
    return (SAMPLES / name).read_bytes()


def sample_json(name: str) -> dict:
    """A sample payload parsed as JSON."""
    return json.loads(load_sample(name))


def wait_for(qtbot: Any, condition: Any, timeout: int = 10000) -> None:
    """Process Qt events until `condition()` is true."""
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def start_app(qtbot: Any, qapp: Any, home: Path, *, welcome: bool = False) -> Any:
    """A started BellhopApp (window shown) on a free port, on whatever settings `home` has.

    The first-run welcome is left out unless `welcome` (tests/gui/test_welcome.py).
    """
    from bellhop.ui.app import BellhopApp, make_application

    make_application()
    app = BellhopApp(qapp, home, port=0)
    with qtbot.waitSignal(app.bridge.started, timeout=15000):
        app.start(welcome=welcome)
    qtbot.addWidget(app.window)
    return app


def stop_app(app: Any) -> None:
    """Stop a BellhopApp made by `start_app` (the engine stops cleanly)."""
    app.shutdown()
    app.instance.deleteLater()
