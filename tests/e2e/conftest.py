"""End-to-end helpers: real `bellhop` processes on a temporary data home, talked to over HTTP.

Every process started here is killed in fixture teardown, whatever the test did.
Secrets reach the subprocesses through tests/file_keyring.py (a JSON file
outside the data home), selected with PYTHON_KEYRING_BACKEND.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.ports import free_port
from support.serve import ServerProcess, serve_argv, wait_until

__all__ = ["Served", "free_port", "wait_until"]
Served = ServerProcess  # stop(): SIGTERM, exit code 0 within STOP_TIMEOUT

E2E = Path(__file__).resolve().parent
TESTS = E2E.parent
REPO = TESTS.parent
SAMPLES = REPO / "resources" / "samples"
HEALTH_TIMEOUT = 15.0  # seconds for `bellhop serve` to answer /healthz
STOP_TIMEOUT = 10.0  # seconds for `bellhop serve` to exit after SIGTERM
Body = bytes | Iterator[bytes] | None


def new_token() -> str:
    """A fresh webhook token (22 url-safe characters, like the app's own)."""
    return secrets.token_urlsafe(16)


def request(port: int, method: str, path: str, body: Body = None,
            headers: dict[str, str] | None = None, timeout: float = 10.0) -> tuple[int, bytes]:
    """One raw HTTP request to 127.0.0.1:port; the path is sent exactly as given.

    A body given as an iterator of bytes goes out chunked, without a Content-Length.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        # The server may answer early (413) and close: its answer is still readable.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.request(method, path, body=body, headers=headers or {},
                         encode_chunked=body is not None and not isinstance(body, bytes))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def post(port: int, token: str, body: bytes,
         content_type: str = "application/json") -> tuple[int, dict[str, Any]]:
    """POST raw bytes to a rule's hook; the status and the JSON answer."""
    status, raw = request(port, "POST", f"/hooks/{token}", body, {"Content-Type": content_type})
    return status, json.loads(raw) if raw else {}


def webhook_rule(rule_id: str, name: str, token: str, steps: list[dict[str, Any]],
                 methods: tuple[str, ...] = ("POST",)) -> dict[str, Any]:
    """A rule in the rules.json format of DESIGN.md."""
    return {"id": rule_id, "name": name, "enabled": True,
            "trigger": {"type": "webhook", "token": token, "methods": list(methods)},
            "steps": steps}


@pytest.fixture(scope="session", autouse=True)
def _registry_importable() -> None:
    """Fail clearly when a card module is missing (others may be mid-edit)."""
    try:
        from bellhop.actions.registry import default_registry

        default_registry()
    except ImportError as exc:
        pytest.fail(f"the app's card registry does not import: {exc}")


class Bellhop:
    """A temporary data home plus a file keychain, and the `bellhop` processes using them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.home.mkdir()
        self.keyring_path = root / "keyring.json"
        self.served: list[Served] = []
        self._runs = 0
        self.env = subprocess_env(self.home, self.keyring_path)

    # -- files ------------------------------------------------------------------------

    def write_rules(self, rules: list[dict[str, Any]]) -> None:
        """Write rules.json in the documented format."""
        text = json.dumps({"version": 1, "rules": rules}, ensure_ascii=False, indent=2)
        (self.home / "rules.json").write_text(text, encoding="utf-8")

    def write_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        """Write accounts.json in the documented format (never a secret)."""
        text = json.dumps({"version": 1, "accounts": accounts}, ensure_ascii=False, indent=2)
        (self.home / "accounts.json").write_text(text, encoding="utf-8")

    def keychain(self) -> dict[str, str]:
        """What the file keychain holds, as `bellhop/<name>` → secret."""
        if not self.keyring_path.exists():
            return {}
        return dict(json.loads(self.keyring_path.read_text(encoding="utf-8")))

    @contextlib.contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        """events.db opened read-only (the running app keeps writing)."""
        conn = sqlite3.connect(f"file:{self.home / 'events.db'}?mode=ro", uri=True, timeout=5)
        try:
            yield conn
        finally:
            conn.close()

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of one read-only query on events.db."""
        with self.db() as conn:
            return conn.execute(sql, params).fetchall()

    def run_status(self, event_id: str) -> str | None:
        """The status of the latest run of an event, if it has finished."""
        rows = self.query("SELECT status FROM runs WHERE event_id = ? ORDER BY seq DESC LIMIT 1",
                          event_id)
        status = rows[0][0] if rows else None
        return status if status in ("succeeded", "failed", "skipped") else None

    def wait_run(self, event_id: str, timeout: float = 15.0) -> str:
        """Wait until the event's run finished; its status."""
        return wait_until(lambda: self.run_status(event_id), timeout, f"the run of {event_id}")

    # -- processes --------------------------------------------------------------------

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 60.0,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run `python -m bellhop ARGS` to completion with this home's environment."""
        return subprocess.run(
            [sys.executable, "-m", "bellhop", *args], input=stdin if stdin is not None else "",
            capture_output=True, text=True, encoding="utf-8", timeout=timeout,
            env=env or self.env, cwd=self.root, check=False)

    def set_secret(self, name: str, value: str) -> None:
        """`bellhop secret set NAME` with the value on standard input."""
        done = self.cli("secret", "set", name, stdin=value + "\n")
        assert done.returncode == 0, done.stderr
        assert self.keychain()[f"bellhop/{name}"] == value

    def start(self, port: int | None = None, *extra: str,
              env: dict[str, str] | None = None) -> Served:
        """Start `bellhop serve` on 127.0.0.1 without waiting for it."""
        port = port or free_port()
        return self.launch(serve_argv(port, *extra), port, "serve", env=env)

    def launch(self, argv: list[str], port: int, name: str,
               env: dict[str, str] | None = None) -> Served:
        """Start a process of this home (output in NAME-N.out/.err); killed at teardown."""
        self._runs += 1
        served = ServerProcess(argv, port, self.root / f"{name}-{self._runs}.out",
                               self.root / f"{name}-{self._runs}.err", env=env or self.env,
                               cwd=self.root, label=f"bellhop {name}")
        self.served.append(served)
        return served.start()

    def serve(self, port: int | None = None) -> Served:
        """Start `bellhop serve` and wait until /healthz answers."""
        served = self.start(port)
        served.wait_healthy(HEALTH_TIMEOUT)
        return served

    def kill_all(self) -> None:
        """Kill every process this home started that is still running."""
        for served in self.served:
            with contextlib.suppress(Exception):
                served.kill()


def subprocess_env(home: Path, keyring_path: Path) -> dict[str, str]:
    """The environment of a `bellhop` subprocess: its data home and the file keychain."""
    env = dict(os.environ)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):  # English messages, UTF-8 console
        env.pop(name, None)
    extra = env.get("PYTHONPATH")
    env.update({
        "BELLHOP_HOME": str(home),
        "BELLHOP_TEST_KEYRING": str(keyring_path),
        "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
        "PYTHONPATH": os.pathsep.join(
            [str(TESTS), str(REPO / "desktop"), *([extra] if extra else [])]),
        "PYTHONUNBUFFERED": "1",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    })
    return env


@pytest.fixture
def bellhop(tmp_path: Path) -> Iterator[Bellhop]:
    """A fresh data home and keychain; leftover processes are killed afterwards."""
    app = Bellhop(tmp_path)
    try:
        yield app
    finally:
        app.kill_all()


def files_containing(folder: Path, needle: str) -> list[Path]:
    """Every file under `folder` whose bytes contain `needle` (UTF-8)."""
    data = needle.encode("utf-8")
    return [path for path in folder.rglob("*") if path.is_file() and data in path.read_bytes()]
