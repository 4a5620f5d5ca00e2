"""GUI test fixtures: the real window on the real engine thread, offscreen, temporary home."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyngrok import installer

from bellhop.core.platform import paths
from bellhop.core.platform.settings import Settings, save_settings
from fakes.fake_ngrok import write_agent
from helpers import start_app, stop_app

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "asks_before_run_test: 'Run test' asks before cards act for real, as it "
                   "does for a person (other tests press it as someone who said not to ask)")


@pytest.fixture(autouse=True)
def no_window_outlives_its_test() -> Iterator[None]:
    """After each test, the widgets it closed are deleted and its garbage collected.

    pytest-qt closes a test's widgets with deleteLater(), which only an event loop
    carries out; until one ran, the last test's windows were still alive in the next one,
    and QApplication.setStyle() at its start polished them all. Python's collector,
    running meanwhile, could free one of them in the middle of that walk (a segfault in
    apply_theme, seen once in CI). Each test now starts with no window of another."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.enable()  # a test that failed before its window stopped leaves Python collecting


@pytest.fixture(autouse=True)
def run_test_without_asking(request: pytest.FixtureRequest,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that press 'Run test' mean it: the question before cards send or write for
    real is answered Run test at once, unless the test is about that question."""
    if request.node.get_closest_marker("asks_before_run_test") is not None:
        return
    from bellhop.ui.rules import real_effects

    def run_at_once(parent: Any, effects: list[str], then: Any) -> None:
        then(False)

    monkeypatch.setattr(real_effects, "confirm_real_effects", run_at_once)


@pytest.fixture
def bellhop_app(qtbot: Any, home: Path, qapp: Any) -> Iterator[Any]:
    """A started BellhopApp (window shown) on a free port; stopped cleanly afterwards."""
    app = start_app(qtbot, qapp, home)
    yield app
    stop_app(app)


@pytest.fixture
def tunnel_app(qtbot: Any, home: Path, qapp: Any, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A started BellhopApp whose settings ask for ngrok, run by the fake agent (its tunnel
    comes up; nothing downloads)."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("pyngrok tried to download ngrok")

    monkeypatch.setattr(installer, "install_ngrok", refuse)
    for name in ("FAKE_NGROK_FAIL_AUTH", "FAKE_NGROK_DIE_AFTER", "BELLHOP_NGROK_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FAKE_NGROK_URL_FILE", str(tmp_path / "urls"))
    agent = write_agent(tmp_path / "bin")
    save_settings(paths.settings_file(home), Settings(tunnel="ngrok", ngrok_path=str(agent)))
    app = start_app(qtbot, qapp, home)
    yield app
    stop_app(app)


@pytest.fixture
def chinese_app(qtbot: Any, qapp: Any, home: Path) -> Iterator[Any]:
    """BellhopApp started with "language": "zh_TW" in settings.json; English again after."""
    from bellhop.ui.i18n import install_translations

    save_settings(paths.settings_file(home), Settings(language="zh_TW"))
    app = start_app(qtbot, qapp, home)
    yield app
    stop_app(app)
    install_translations(qapp, "en")


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots from tests go (test-artifacts/, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
