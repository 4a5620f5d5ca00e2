"""A real n8n (the npm package `make test-n8n` installs) on a temporary user folder.

Tests here are marked `n8n` and skip, saying why, when the n8n binary is not installed:
`make test-n8n` installs it outside the repository (~/.cache/bellhop-n8n) and points
BELLHOP_N8N at it. n8n runs on 127.0.0.1 with everything that calls out switched off
(telemetry, version checks, templates, banners, licence renewal, community packages).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.ports import free_port
from support.serve import ServerProcess

DEFAULT_BINARY = Path.home() / ".cache" / "bellhop-n8n" / "node_modules" / ".bin" / "n8n"
START_TIMEOUT = 180.0  # seconds for `n8n start` to activate the workflows (a hang guard)
COMMAND_TIMEOUT = 180.0  # seconds for one n8n command (the first one creates the database)


def n8n_binary() -> Path | None:
    """The n8n command to test with: $BELLHOP_N8N, else the one `make test-n8n` installs."""
    configured = os.environ.get("BELLHOP_N8N")
    path = Path(configured) if configured else DEFAULT_BINARY
    return path if path.is_file() and os.access(path, os.X_OK) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is an `n8n` test, skipped without the n8n binary."""
    binary = n8n_binary()
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.n8n)
            if binary is None:
                item.add_marker(pytest.mark.skip(
                    reason="n8n is not installed: `make test-n8n` installs it and runs these"))


class N8n:
    """One n8n: its user folder (database, settings), its commands and its server."""

    def __init__(self, binary: Path, root: Path) -> None:
        self.binary = binary
        self.root = root
        self.port = free_port()
        self.server: ServerProcess | None = None
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("N8N_")},
            "N8N_USER_FOLDER": str(root / "user"),
            "N8N_PORT": str(self.port),
            "N8N_LISTEN_ADDRESS": "127.0.0.1",
            "N8N_RUNNERS_BROKER_PORT": str(free_port()),
            "N8N_ENCRYPTION_KEY": "bellhop-round-trip",
            "N8N_DIAGNOSTICS_ENABLED": "false",
            "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
            "N8N_TEMPLATES_ENABLED": "false",
            "N8N_PERSONALIZATION_ENABLED": "false",
            "N8N_HIRING_BANNER_ENABLED": "false",
            "N8N_DYNAMIC_BANNERS_ENABLED": "false",
            "N8N_LICENSE_AUTO_RENEW_ENABLED": "false",
            "N8N_COMMUNITY_PACKAGES_ENABLED": "false",
            "N8N_AI_ENABLED": "false",
            "N8N_SECURE_COOKIE": "false",
            "GENERIC_TIMEZONE": "Asia/Taipei",
        }

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run one n8n command to its end; AssertionError with its output when it fails."""
        done = subprocess.run([str(self.binary), *args], env=self.env, cwd=self.root,
                              capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
                              check=False)
        output = done.stdout + done.stderr
        # n8n's import commands log a failure and still exit 0.
        assert done.returncode == 0 and "An error occurred" not in output, output[-3000:]
        return done

    def start(self) -> ServerProcess:
        """`n8n start`, ready once its workflows are active."""
        self.server = ServerProcess([str(self.binary), "start"], self.port,
                                    self.root / "n8n.out", env=self.env, cwd=self.root,
                                    own_group=True, label="n8n start").start()
        self.server.wait_healthy(START_TIMEOUT)
        self.server.wait_stdout("Editor is now accessible", START_TIMEOUT)
        return self.server

    def webhook_url(self, path: str) -> str:
        """The production address of a Webhook node's path."""
        return f"http://127.0.0.1:{self.port}/webhook/{path}"

    @property
    def database(self) -> Path:
        return self.root / "user" / ".n8n" / "database.sqlite"


@pytest.fixture
def n8n(tmp_path: Path) -> Iterator[N8n]:
    """An n8n with an empty user folder; its server (if started) is stopped afterwards."""
    binary = n8n_binary()
    assert binary is not None  # collection skips these tests without it
    instance = N8n(binary, tmp_path)
    try:
        yield instance
    finally:
        if instance.server is not None and instance.server.proc is not None:
            instance.server.end(timeout=30)
