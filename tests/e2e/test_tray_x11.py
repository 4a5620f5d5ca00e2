"""`bellhop --background` (the login item) on a real X screen with a real system tray.

Offscreen Qt has no tray, so these tests start Xvfb and trayer (a panel that holds
tray icons) and look at the app the way a person does: which windows are shown,
a click on the icon, the close button, a failure's balloon.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from e2e.conftest import Bellhop, Served, free_port, new_token, post, wait_until, webhook_rule
from e2e.x11 import INSTALL, Screen, Window, missing_tools, screen_with_tray

pytestmark = pytest.mark.skipif(
    bool(missing_tools()), reason=f"needs {', '.join(missing_tools())} ({INSTALL})")

ICON_MAX = 64  # a tray icon is at most this many pixels on a side; the window far more
FILTER = [{"type": "filter", "conditions": [{"field": "body.n", "op": "ge", "value": 0}]}]
# Port 9 (discard) is closed on loopback: the step fails at its one attempt.
BROKEN = [{"type": "http_request", "url": "http://127.0.0.1:9/refund",
           "retry": {"attempts": 1, "first_delay": 0}}]


def launch(bellhop: Bellhop, screen: Screen, *args: str) -> Served:
    """Start the desktop app (`bellhop ARGS`) on the screen; wait until it is all up."""
    env = {**bellhop.env, **screen.env(), "BELLHOP_REPORT_READY": "1"}
    port = json.loads((bellhop.home / "settings.json").read_text())["port"]
    served = bellhop.launch([sys.executable, "-m", "bellhop", *args], port, "app", env=env)
    assert served.proc is not None
    proc = served.proc
    wait_until(lambda: "bellhop-ready" in served.stdout() or proc.poll() is not None, 30,
               "the app to start")
    assert proc.poll() is None, f"the app exited: {served.stderr()}"
    return served


def shown(screen: Screen, app: Served) -> tuple[list[Window], list[Window]]:
    """The app's shown windows, split into tray icons and everything bigger."""
    windows = screen.visible_windows(app.proc.pid)
    icons = [w for w in windows if w.width <= ICON_MAX and w.height <= ICON_MAX]
    return icons, [w for w in windows if w not in icons]


def wait_shown(screen: Screen, app: Served, big: int, what: str,
               gone: Window | None = None) -> tuple[Window, list[Window]]:
    """Wait until exactly one tray icon and `big` bigger windows are shown (and the window
    `gone` is no longer one of them)."""
    def settled() -> tuple[list[Window], list[Window]] | None:
        icons, others = shown(screen, app)
        if gone is not None and any(w.id == gone.id for w in others):
            return None  # still being closed
        return (icons, others) if len(icons) == 1 and len(others) == big else None

    icons, others = wait_until(settled, 15, what)
    return icons[0], others


def stop(app: Served) -> None:
    """Quit the way the session does at log-out (SIGTERM): a clean exit."""
    app.stop(15)


@pytest.fixture
def screen() -> Screen:
    with screen_with_tray() as started:
        yield started


@pytest.fixture
def home(bellhop: Bellhop) -> Bellhop:
    """A data home past the welcome, on a port of its own."""
    (bellhop.home / "settings.json").write_text(json.dumps(
        {"version": 1, "port": free_port(), "welcome_seen": True}))
    return bellhop


def test_the_login_item_starts_in_the_tray_and_answers_webhooks(home: Bellhop,
                                                                 screen: Screen) -> None:
    token = new_token()
    home.write_rules([webhook_rule("orders", "Orders", token, FILTER)])
    app = launch(home, screen, "--background")
    icon, windows = wait_shown(screen, app, 0, "a tray icon and no window")
    assert windows == []
    assert icon.y + icon.height >= 700, f"the icon is not in the panel: {icon}"

    status, answer = post(app.port, token, b'{"n": 1}')
    assert status == 202
    assert home.wait_run(answer["event_id"]) == "succeeded"
    assert shown(screen, app)[1] == [], "a webhook must not pop the window up"
    stop(app)


def test_a_click_on_the_icon_opens_the_window_and_closing_it_keeps_bellhop_running(
        home: Bellhop, screen: Screen) -> None:
    token = new_token()
    home.write_rules([webhook_rule("orders", "Orders", token, FILTER)])
    app = launch(home, screen, "--background")
    icon, _ = wait_shown(screen, app, 0, "a tray icon and no window")

    screen.click(*icon.center)
    _, windows = wait_shown(screen, app, 1, "the window after a click on the icon")
    window = windows[0]
    assert window.width >= 600 and window.height >= 400, window

    screen.close_window(window)
    # The first time, a balloon says Bellhop is still running, where the window was.
    _, told = wait_shown(screen, app, 1, "the 'still running' balloon instead of the window",
                         gone=window)
    assert told[0].id != window.id and told[0].width < 700, told
    time.sleep(0.5)
    assert app.proc.poll() is None, "closing the window quit Bellhop"
    status, answer = post(app.port, token, b'{"n": 2}')
    assert status == 202
    assert home.wait_run(answer["event_id"]) == "succeeded"
    stop(app)


def test_starting_bellhop_again_brings_the_running_window_forward(home: Bellhop,
                                                                 screen: Screen) -> None:
    app = launch(home, screen, "--background")
    wait_shown(screen, app, 0, "a tray icon and no window")

    again = subprocess.run([sys.executable, "-m", "bellhop"], capture_output=True, text=True,
                           env={**home.env, **screen.env()}, cwd=home.root, timeout=30,
                           check=False)
    assert again.returncode == 0, again.stderr
    _, windows = wait_shown(screen, app, 1, "the running app's window")
    assert windows[0].width >= 600, windows[0]
    stop(app)


def test_a_failed_run_shows_a_balloon_that_opens_its_event(home: Bellhop,
                                                           screen: Screen) -> None:
    token = new_token()
    home.write_rules([webhook_rule("refund", "Refund the order", token, BROKEN)])
    app = launch(home, screen, "--background")
    wait_shown(screen, app, 0, "a tray icon and no window")

    status, answer = post(app.port, token, b'{"n": 3}')
    assert status == 202
    assert home.wait_run(answer["event_id"]) == "failed"
    _, balloons = wait_shown(screen, app, 1, "the failure's balloon")
    balloon = balloons[0]
    assert balloon.width < 700, f"a balloon, not the window: {balloon}"

    screen.click(*balloon.center)
    _, windows = wait_shown(screen, app, 1, "the window after a click on the balloon")
    assert windows[0].width >= 600, windows[0]
    stop(app)
