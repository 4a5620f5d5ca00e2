"""`bellhop serve`: the engine and receiver without a window, until SIGINT or SIGTERM, and
its console: each rule's address at start, the secrets it cannot find, then a line per
finished run (written once per loop turn)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from typing import Any

from bellhop.core.events import (
    AddressChecked,
    EngineEvent,
    FileFixed,
    FileProblemFound,
    NoticeRequested,
    RulesChanged,
    RunFinished,
    StepFinished,
    TunnelChanged,
)
from bellhop.core.i18n import _, ngettext
from bellhop.core.platform import paths


def serve(host: str | None, port: int | None, tunnel: str) -> int:
    """Run engine and receiver until SIGINT/SIGTERM (messages name commands, not buttons)."""
    from bellhop.core.headless import headless_wording

    with headless_wording():
        return asyncio.run(_serve(host, port, tunnel))


async def _serve(host: str | None, port: int | None, tunnel: str | None = None) -> int:
    from bellhop.service import Bellhop

    app = Bellhop()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers
            loop.add_signal_handler(sig, stop.set)
    # Listening before the address answers: the first delivery's line is not lost while
    # the keychain is asked about missing secrets below.
    console = ConsoleLog(app)
    app.subscribe(console.on_engine_event)
    try:
        await app.start(host, port, tunnel)
    except OSError as exc:
        await app.stop()
        print(_("Bellhop could not listen on port {port}: {reason}. Another program may use it; "
                "choose another port with --port.").format(
            port=port if port is not None else app.settings.port,
                 reason=exc.strerror or exc), file=sys.stderr)
        return 1
    for notice in app.notices:
        print(notice, file=sys.stderr)
    assert app.engine is not None
    print(_("Bellhop is listening. Data folder: {home}").format(
        home=app.home), flush=True)
    if not app.engine.rules:
        print(_("No rules yet: add some to {path}").format(
            path=paths.rules_file(app.home)), flush=True)
    for rule in app.engine.rules:
        print(_rule_line(app, rule), flush=True)
    await _tell_missing_secrets(app)
    try:
        await stop.wait()
    finally:
        print(_("Stopping…"), flush=True)
        await app.stop()
    return 0


async def _tell_missing_secrets(app: Any) -> None:
    """Name the secrets the rules need that cannot be found, and how to give each; serving
    goes on (the steps that need them fail with the same plain error)."""
    from bellhop.core.gallery.secrets_check import missing_lines
    from bellhop.core.platform.secrets import how_to_save

    for line in missing_lines(await app.missing_secrets(), how_to_save):
        print(line, file=sys.stderr, flush=True)


def _rule_line(app: Any, rule: Any) -> str:
    if not rule.token:
        return f"{rule.name} → " + _("(no webhook address: {problems})").format(
            problems="; ".join(rule.problems))
    line = f"{rule.name} → {app.hook_url(rule)}"
    if not rule.enabled:
        line += "  " + _("(turned off)")
    elif rule.problems:
        line += "  " + _("(not running: {problems})").format(
            problems="; ".join(rule.problems))
    return line


class ConsoleLog:
    """One line per finished run on stdout, written once per loop turn (not once per line)."""

    def __init__(self, app: Any = None) -> None:
        self._lines: list[str] = []
        self._app = app  # for the rules' public addresses when the tunnel comes up
        self._download_step: int | None = None
        self._loop = asyncio.get_running_loop()

    def _add(self, line: str) -> None:
        try:
            on_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:  # an event told from a worker thread (a rules reload)
            on_loop = False
        if not on_loop:  # the loop adds it: no line waits for a flush nobody planned
            self._loop.call_soon_threadsafe(self._add, line)
            return
        if not self._lines:
            self._loop.call_soon(self._flush)
        self._lines.append(line)

    def _flush(self) -> None:
        lines, self._lines = self._lines, []
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()

    def _rules_changed(self, event: RulesChanged) -> None:
        line = f"{time.strftime('%H:%M:%S')}  " + ngettext(
            "rules.json changed: {count} rule in use.",
            "rules.json changed: {count} rules in use.", event.rules).format(count=event.rules)
        if event.problems:
            line += " " + ngettext("{count} of them cannot run:", "{count} of them cannot run:",
                                   len(event.problems)).format(count=len(event.problems))
        self._add(line)
        for name, found in event.problems:
            for problem in found:
                self._add("    " + _("“{rule}”: {problem}").format(
                    rule=name, problem=problem))

    def on_engine_event(self, event: EngineEvent) -> None:
        """Turn an engine event into a console line, if it deserves one."""
        stamp = time.strftime("%H:%M:%S")
        match event:
            case RunFinished():
                status = {"succeeded": _("done"), "failed": _("FAILED"),
                          "skipped": _("skipped (filter)")}.get(event.status, event.status)
                line = f"{stamp}  {event.rule_name}  {event.event_id}  {status}"
                if event.error:
                    line += f": {event.error}"
                self._add(line)
                for warning in event.warnings:  # done, but a field was left empty
                    self._add("    " + _("Worth a look: {warning}").format(warning=warning))
            case StepFinished(status="waiting"):
                self._add(f"{stamp}  {event.event_id}  " + _(
                    "step {n} ({label}) will be tried again: {error}").format(
                    n=event.index, label=event.label, error=event.error))
            case NoticeRequested():
                line = f"{stamp}  " + _("Notice: {title}").format(title=event.title)
                if event.text:
                    line += " — " + " ".join(event.text.split())
                self._add(line)
            case AddressChecked():
                self._add(f"{stamp}  " + _(
                    "{service} checked the address of “{rule}”: it works.").format(
                    service=event.service, rule=event.rule_name))
            case RulesChanged():
                self._rules_changed(event)
            case FileProblemFound():
                self._add(f"{stamp}  {event.message}")
            case FileFixed():
                self._add(f"{stamp}  " + _("{name} can be read again.").format(name=event.file))
            case TunnelChanged():
                self._tunnel(event)

    def _tunnel(self, event: TunnelChanged) -> None:
        stamp = time.strftime("%H:%M:%S")
        state, progress = event.state, event.progress
        if state == "connecting" and progress is not None:
            step = -1 if progress < 0 else progress // 25  # a line per quarter of the download
            if step != self._download_step:
                self._download_step = step
                self._add(f"{stamp}  " + event.reason)
        elif state == "connecting":
            self._add(f"{stamp}  " + _("Tunnel: connecting…"))
        elif state == "down":
            self._add(f"{stamp}  " + _("Tunnel: down. {reason} Webhooks still work on this "
                                       "computer.").format(reason=event.reason))
        elif state == "up":
            self._add(f"{stamp}  " + _("Tunnel: up at {url}").format(url=event.public_url))
            if event.url_changed:
                self._add(_("Your webhook addresses changed: update them in the services "
                            "that send to Bellhop (Shopify, LINE…)."))
            if self._app is not None and self._app.engine is not None:
                for rule in self._app.engine.rules:
                    self._add(_rule_line(self._app, rule))
        elif state == "off":
            self._add(f"{stamp}  " + _("Tunnel: closed."))
