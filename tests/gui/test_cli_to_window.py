"""`bellhop retry` and `replay` typed in a terminal while the window runs: the window's own
engine does them (over the control channel), and the Activity page shows what came of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from test_activity_page import add_rule, append_step, make_rule, order, post, statuses

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def bellhop(qtbot: Any, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bellhop ARGS` in another process, the window's loop turning meanwhile."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(DESKTOP), *filter(None, [os.environ.get("PYTHONPATH")])]), LANG="C.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(name, None)
    proc = subprocess.Popen([sys.executable, "-m", "bellhop", *args], env=env, text=True,
                            encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=60000)
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_a_retry_from_the_terminal_shows_in_the_window(
        bellhop_app: Any, qtbot: Any, tmp_path: Path, artifacts: Path) -> None:
    bellhop_app.window.show_page("activity")
    page = bellhop_app.window.activity_page
    blocker = tmp_path / "Orders"
    blocker.write_text("a file where a folder should be")
    url = add_rule(bellhop_app, qtbot, make_rule([append_step(str(blocker / "orders.csv"))]))
    event_id = post(url, order(1042, 1280, "林美玲"))
    qtbot.waitUntil(lambda: statuses(page.model) == ["failed"], timeout=10000)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.shown is not None, timeout=5000)
    assert page.detail.problem.isVisible()

    blocker.unlink()  # the cause is fixed, then: bellhop retry --failed
    done = bellhop(qtbot, "retry", "--failed", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["by"] == "running"  # the window's engine did it, not the command
    assert [(r["event"], r["status"]) for r in answer["results"]] == [(event_id, "done")]
    qtbot.waitUntil(lambda: statuses(page.model) == ["succeeded"], timeout=10000)
    qtbot.waitUntil(lambda: page.detail.runs.runs
                    and page.detail.runs.runs[-1].status == "succeeded", timeout=10000)
    assert not page.detail.problem.isVisible()

    replayed = bellhop(qtbot, "replay", event_id)
    assert replayed.returncode == 0, replayed.stderr
    qtbot.waitUntil(lambda: len(page.detail.runs.runs) == 2, timeout=10000)
    assert page.detail.runs.tree.topLevelItem(0).text(0).startswith("Run 2 · Replayed")
    bellhop_app.window.grab().save(str(artifacts / "activity-after-cli-replay.png"))
    assert (blocker / "orders.csv").read_text(encoding="utf-8-sig").count("#1042") == 2
