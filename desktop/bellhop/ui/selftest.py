"""`bellhop --selftest` with the window: start it all, post to itself, see it in Activity.

Runs in a scratch data home (the user's rules and events are never touched),
offscreen when there is no display. Exit code 0 only when the delivery was
answered 2xx, its run finished, and the Activity page lists the event.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QTimer, QUrl
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from bellhop.core.events import EngineEvent, RunFinished
from bellhop.core.running.rules import new_token, save_rules
from bellhop.ui.app import BellhopApp, make_application

TIMEOUT_MS = 30_000


class SelfTest:
    """Drives one BellhopApp through a delivery and watches the Activity page."""

    def __init__(self, home: Path) -> None:
        self.home = home
        save_rules(home / "rules.json", [{
            "id": "selftest", "name": "Self test", "enabled": True,
            "trigger": {"type": "webhook", "token": new_token(), "methods": ["POST"]},
            "steps": [{"type": "filter", "match": "all",
                       "conditions": [{"field": "body.hello", "op": "eq", "value": "世界"}]}],
        }])
        self.app = make_application()
        self.bellhop = BellhopApp(self.app, home, port=0)
        self.network = QNetworkAccessManager()
        self.event_id: str | None = None
        self.run_status: str | None = None
        self.ok = False
        self.began = time.monotonic()
        self.bellhop.bridge.started.connect(self._post)
        self.bellhop.bridge.engineEvents.connect(self._watch)
        self.bellhop.bridge.failed.connect(lambda message: self._finish(False, message))

    def run(self) -> int:
        """Start everything; returns the exit code."""
        QTimer.singleShot(TIMEOUT_MS, lambda: self._finish(False, "timed out"))
        self.bellhop.start(welcome=False)  # nothing may wait for a person here
        self.app.exec()
        return 0 if self.ok else 1

    def _post(self) -> None:
        service = self.bellhop.bridge.service
        rule = next(r for r in service.engine.rules if r.id == "selftest")  # type: ignore[union-attr]
        request = QNetworkRequest(QUrl(service.hook_url(rule)))
        request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
        reply = self.network.post(request, QByteArray(
            json.dumps({"hello": "世界"}, ensure_ascii=False).encode()))
        reply.finished.connect(lambda: self._answered(reply))

    def _answered(self, reply: QNetworkReply) -> None:
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        if status != 202:
            self._finish(False, f"the receiver answered {status}")
            return
        self.event_id = json.loads(bytes(reply.readAll().data()))["event_id"]
        self._check_window()

    def _watch(self, batch: list[EngineEvent]) -> None:
        for event in batch:
            if isinstance(event, RunFinished) and event.rule_id == "selftest":
                self.run_status = event.status
        self._check_window()

    def _check_window(self) -> None:
        if self.event_id is None or self.run_status is None:
            return
        page = self.bellhop.window.activity_page
        page.model.refresh_news()
        if page.model.row_of_event(self.event_id) is None:
            QTimer.singleShot(100, self._check_window)  # the page refreshes on its own beat
            return
        self._finish(self.run_status == "succeeded", f"run {self.run_status}")

    def _finish(self, ok: bool, detail: str) -> None:
        if self.ok or self.app.closingDown():
            return
        self.ok = ok
        seconds = time.monotonic() - self.began
        print(json.dumps({"selftest": "ok" if ok else "failed", "detail": detail,
                          "window": True, "seconds": round(seconds, 2)}), flush=True)
        QTimer.singleShot(0, self.app.quit)


def run_window_selftest() -> int:
    """Exit code 0 when a webhook posted to Bellhop shows up in its window."""
    with tempfile.TemporaryDirectory(prefix="bellhop-selftest-") as folder:
        try:
            return SelfTest(Path(folder)).run()
        except Exception as exc:  # a broken install must still exit, with the reason
            print(json.dumps({"selftest": "failed", "detail": str(exc)}), file=sys.stderr)
            return 1
