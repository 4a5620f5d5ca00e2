"""`bellhop serve` as installers/server/ runs it: without Qt, without a keychain.

The container image installs every dependency but PySide6 (installers/server/
requirements.py) and copies only the translations next to it (BELLHOP_RESOURCES); the
systemd unit and the image both say "no keychain" (keyring's fail backend). This runs a
real `serve` that way — Qt made impossible to import — and a rule with it.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from support.serve import serve_argv

from .conftest import REPO, Bellhop, free_port, new_token, post, webhook_rule

# Imports of these modules fail in the child, as in the image where they are not installed.
HEALTHCHECK = REPO / "installers" / "server" / "healthcheck.py"
WITHOUT_QT = ("import sys; sys.modules.update(PySide6=None, shiboken6=None); "
              "from bellhop.cli import main; sys.exit(main())")


# docs/server.md, for the container (python's sqlite3 module, the same online backup).
PYTHON_BACKUP = ("import sqlite3; sqlite3.connect('{source}')"
                 ".backup(sqlite3.connect('{copy}'))")


def server_env(bellhop: Bellhop, resources: Path) -> dict[str, str]:
    """The environment the unit and the image give `serve` (in Chinese, to see the
    translations are found through BELLHOP_RESOURCES)."""
    env = dict(bellhop.env)
    env.update(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               BELLHOP_RESOURCES=str(resources), LANGUAGE="zh_TW")
    return env


def image_resources(tmp_path: Path) -> Path:
    """resources/ laid out as the Containerfile copies it: the translations only."""
    resources = tmp_path / "resources"
    shutil.copytree(REPO / "resources" / "locale", resources / "locale")
    return resources


def health(port: int) -> subprocess.CompletedProcess[str]:
    """The image's HEALTHCHECK command, run against 127.0.0.1:port."""
    return subprocess.run([sys.executable, str(HEALTHCHECK), str(port)], capture_output=True,
                          text=True, timeout=60)


def test_qt_really_cannot_be_imported_that_way(bellhop: Bellhop, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_QT.replace("from bellhop.cli import main; "
                                                  "sys.exit(main())", "import bellhop.ui.app")],
        capture_output=True, text=True, env=bellhop.env, timeout=60)
    assert done.returncode != 0 and "PySide6" in done.stderr, done.stderr


def test_serve_runs_a_rule_without_qt_or_keychain_and_stops_on_sigterm(
        bellhop: Bellhop, tmp_path: Path) -> None:
    token = new_token()
    rows = tmp_path / "orders.csv"
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [
        {"type": "append_file", "path": str(rows), "columns": {"Order": "{{ body.name }}"}}])])
    port = free_port()
    served = bellhop.launch(serve_argv(port, command=[sys.executable, "-c", WITHOUT_QT]),
                            port, "serve", env=server_env(bellhop, image_resources(tmp_path)))
    served.wait_healthy()
    served.wait_stdout(f"Orders → {served.url(token)}")
    assert "Bellhop 正在等候" in served.stdout(), served.stdout()
    checked = health(port)
    assert (checked.returncode, checked.stdout.strip()) == (0, "ok"), checked

    status, answer = post(port, token, b'{"name": "#1001"}')
    assert status == 202, answer
    assert bellhop.wait_run(answer["event_id"]) == "succeeded"
    with rows.open(encoding="utf-8-sig", newline="") as file:
        assert [row["Order"] for row in csv.DictReader(file)] == ["#1001"]

    served.stop()  # SIGTERM: exit code 0, as systemd and `docker stop` expect
    assert "Traceback" not in served.stderr(), served.stderr()
    checked = health(port)  # stopped: unhealthy, said in words
    assert checked.returncode == 1, checked
    assert checked.stdout.startswith(f"Bellhop does not answer on port {port}"), checked.stdout


def test_the_guides_backup_copies_events_db_while_serve_runs(bellhop: Bellhop,
                                                             tmp_path: Path) -> None:
    """docs/server.md: `sqlite3 events.db ".backup COPY"` with Bellhop running."""
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        pytest.skip("the sqlite3 command is not installed (apt-get install sqlite3)")
    token = new_token()
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [
        {"type": "filter", "match": "all",
         "conditions": [{"field": "body.name", "op": "eq", "value": "#1001"}]}])])
    served = bellhop.serve()
    event_ids = []
    for number in range(5):
        status, answer = post(served.port, token, f'{{"name": "#{1000 + number}"}}'.encode())
        assert status == 202, answer
        event_ids.append(answer["event_id"])
    for event_id in event_ids:
        bellhop.wait_run(event_id)

    copy = tmp_path / "backup" / "events.db"
    copy.parent.mkdir()
    done = subprocess.run([sqlite, str(bellhop.home / "events.db"), f".backup '{copy}'"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr, done.stderr
    # The image has no sqlite3 command: the guide's Python line does the same.
    in_python = tmp_path / "backup" / "events-python.db"
    done = subprocess.run([sys.executable, "-c", PYTHON_BACKUP.format(
        source=bellhop.home / "events.db", copy=in_python)],
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr, done.stderr
    status, answer = post(served.port, token, b'{"name": "#2000"}')  # still taking events
    assert status == 202, answer
    served.stop()

    for backup in (copy, in_python):
        conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            copied = {row[0] for row in conn.execute("SELECT id FROM events")}
        finally:
            conn.close()
        assert copied == set(event_ids), backup


def test_the_guide_shows_the_backup_lines_tested_above() -> None:
    guide = (REPO / "docs" / "server.md").read_text(encoding="utf-8")
    assert PYTHON_BACKUP.format(source="/data/events.db", copy="/data/events-backup.db") in guide
    assert "sqlite3 /var/lib/bellhop/events.db \".backup '/var/backups/bellhop/events.db'\"" \
        in guide
