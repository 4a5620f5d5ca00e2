"""Shared fixtures: an in-memory keychain, a temporary data home, sample payloads."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))

from memory_keyring import MemoryKeyring  # noqa: E402


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keychain; the old backend comes back after."""
    old = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(old)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data home, also set as BELLHOP_HOME."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("BELLHOP_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def login_items(tmp_path_factory: pytest.TempPathFactory,
                monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG_CONFIG_HOME in a temporary folder: "start at login" never touches ~/.config."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def secret_files(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """No systemd credentials and an empty container secrets folder (BELLHOP_SECRETS_DIR):
    a test sees only the secret files it writes itself, never the machine's /run/secrets."""
    folder = tmp_path_factory.mktemp("secrets")
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    monkeypatch.setenv("BELLHOP_SECRETS_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Core messages in English unless a test asks otherwise."""
    from bellhop.core import i18n

    monkeypatch.setattr(i18n, "_language", "en")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    """The seed of the random order (pytest-randomly), so a failure can be run again in it."""
    seed = getattr(config.option, "randomly_seed", None)
    if config.pluginmanager.hasplugin("randomly") and isinstance(seed, int):
        terminalreporter.write_line(f"tests ran in random order: -p randomly "
                                    f"--randomly-seed={seed} repeats it")
