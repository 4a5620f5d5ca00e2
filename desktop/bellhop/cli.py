"""The `bellhop` command: the window by default, `serve` without one, and helpers."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import time
from typing import Any

from bellhop import __version__
from bellhop.commands import add_parsers as add_event_commands
from bellhop.commands import run as run_event_command
from bellhop.core.errors import BellhopError
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


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="bellhop", description=_("Bellhop answers webhooks and runs errands for you."))
    parser.add_argument("--version", action="version", version=f"Bellhop {__version__}")
    parser.add_argument("--selftest", action="store_true",
                        help=_("start, post a webhook to itself, check it arrived, exit"))
    parser.add_argument("--background", action="store_true",
                        help=_("start in the tray without opening the window (used at login)"))
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help=_("run without a window"))
    serve.add_argument("--host", default=None, help=_("address to listen on (127.0.0.1)"))
    serve.add_argument("--port", type=int, default=None, help=_("port to listen on (8765)"))
    serve.add_argument("--tunnel", choices=["none", "ngrok"], default=None,
                       help=_("make the webhook addresses public (none)"))
    add_event_commands(sub)  # events, show, retry, replay, rules check
    sub.add_parser("templates", help=_("list the ready-made rules"))
    rule = sub.add_parser("rule", help=_("add a rule without the window"))
    rule_sub = rule.add_subparsers(dest="rule_command", required=True)
    new = rule_sub.add_parser("new", help=_("add a ready-made rule to rules.json"))
    new.add_argument("--template", required=True, metavar="NAME",
                     help=_("which one (bellhop templates lists them)"))
    new.add_argument("--name", default=None,
                     help=_("the rule's name (without it, the template's own)"))
    secret = sub.add_parser("secret", help=_("keep passwords and tokens in the keychain"))
    secret_sub = secret.add_subparsers(dest="secret_command", required=True)
    set_cmd = secret_sub.add_parser("set", help=_("read a secret from standard input"))
    set_cmd.add_argument("name")
    delete_cmd = secret_sub.add_parser("delete", help=_("remove a secret"))
    delete_cmd.add_argument("name")
    account = sub.add_parser("account", help=_("add accounts that need more than a password"))
    account_sub = account.add_subparsers(dest="account_command", required=True)
    google = account_sub.add_parser(
        "import-google", help=_("add a Google service account from its JSON key file"))
    google.add_argument("name", help=_("the account's name in your rules"))
    google.add_argument("key_file", help=_("the service account's JSON key file"))
    export = sub.add_parser("export", help=_("write your rules for another automation tool"))
    export_sub = export.add_subparsers(dest="export_target", required=True)
    n8n = export_sub.add_parser(
        "n8n", help=_("n8n workflows on standard output, what needs a person on standard error"))
    n8n.add_argument("rules", nargs="*", metavar="RULE",
                     help=_("the rules' names or ids (without any, every rule)"))
    n8n.add_argument("--credentials", metavar="FILE", default=None,
                     help=_("also write the credentials to create, without their secrets"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the process exit code."""
    _utf8_console()
    args = build_parser().parse_args(argv)
    try:
        if args.selftest:
            return selftest()
        if args.command == "serve":
            return serve(args.host, args.port, args.tunnel)
        done = run_event_command(args)
        if done is not None:
            return done
        if args.command == "templates":
            return list_templates()
        if args.command == "rule":
            return new_rule_from_template(args.template, args.name)
        if args.command == "secret":
            return secret_command(args.secret_command, args.name)
        if args.command == "account":
            return import_google(args.name, args.key_file)
        if args.command == "export":
            return export_n8n(args.rules, args.credentials)
        return open_window(background=args.background)
    except BellhopError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `bellhop templates | head`: the reader has had enough
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def selftest() -> int:
    """Start the whole app (the window offscreen without a display), post to it, check it."""
    try:
        from bellhop.ui.selftest import run_window_selftest
    except ImportError as exc:  # Qt missing: still prove the engine works
        print(_("The window could not load ({reason}); testing the engine alone.").format(
            reason=exc), file=sys.stderr)
        from bellhop.selftest import run_selftest

        return run_selftest()
    return run_window_selftest()


def _utf8_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]


def open_window(background: bool = False) -> int:
    """Open the window (Qt is loaded only here, so `serve` never pays for it)."""
    from bellhop.ui.app import run_gui

    return run_gui(background=background)


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
    console = ConsoleLog(app)
    app.subscribe(console.on_engine_event)
    if app.tunnel.kind != "none":
        console.on_engine_event(app.tunnel.snapshot())
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


def _use_settings_language() -> Any:
    """The settings of the data home, with their language (else the system's) for texts."""
    from bellhop.core.i18n import set_language
    from bellhop.core.platform.settings import peek_settings

    settings = peek_settings(paths.settings_file(paths.data_home()))
    set_language(settings.language or None)
    return settings


def list_templates() -> int:
    """`bellhop templates`: the gallery's rules, what each does and needs."""
    from bellhop.actions.registry import default_registry
    from bellhop.core.gallery.report import template_lines

    _use_settings_language()
    print("\n".join(template_lines(default_registry())))
    return 0


def new_rule_from_template(template: str, name: str | None) -> int:
    """`bellhop rule new --template NAME [--name …]`: add it to rules.json, off until ready."""
    from bellhop.actions.registry import default_registry
    from bellhop.core.gallery.adding import add_from_template, find_starter, hook_address
    from bellhop.core.gallery.report import added_lines
    from bellhop.core.platform.secrets import get_secret

    settings = _use_settings_language()
    starter = find_starter(template)

    def saved(secret: str) -> bool:
        try:
            get_secret(secret)
        except BellhopError:  # not there, or no keychain to look in
            return False
        return True

    added = add_from_template(paths.data_home(), default_registry(), starter, name, saved)
    address, public = hook_address(settings, added.raw["trigger"]["token"])
    print("\n".join(added_lines(added, starter, address, public)))
    return 0


def export_n8n(rules: list[str], credentials_file: str | None) -> int:
    """`bellhop export n8n [RULE …]`: workflows on stdout, the report on stderr."""
    from bellhop.actions.registry import default_registry
    from bellhop.core.export.n8n import run_export

    _use_settings_language()
    return run_export(paths.data_home(), default_registry(), rules, sys.stdout, sys.stderr,
                      credentials_file)


def import_google(name: str, key_file: str) -> int:
    """`bellhop account import-google NAME KEY.json`: the key to the keychain, the rest to
    accounts.json; the key file itself is neither copied nor changed. Without a keychain (a
    server) only accounts.json is written, and the key file is to be given as a secret file."""
    from pathlib import Path

    from bellhop.core.platform.secret_files import how_to_give
    from bellhop.core.platform.secrets import keychain_available
    from bellhop.core.services.google import import_service_account, read_key_file

    home = paths.data_home()
    home.mkdir(parents=True, exist_ok=True)
    keychain = keychain_available()
    entry = import_service_account(home, name, read_key_file(Path(key_file).expanduser()),
                                   keep_key=keychain)
    print(_("Added the Google account '{name}'. Share your spreadsheets with {email} (as "
            "Editor) so Bellhop can add rows to them.").format(
        name=name.strip(),
             email=entry["client_email"]))
    if keychain:
        print(_("The key is in the system keychain now; you may delete the downloaded file."))
    else:
        print(_("This computer has no keychain, so Bellhop did not keep the key: give it the "
                "key file itself as a secret file. {how}").format(how=how_to_give(name.strip())))
    return 0


def secret_command(action: str, name: str) -> int:
    """`bellhop secret set NAME` (value from stdin) or `bellhop secret delete NAME`."""
    from bellhop.core.platform.secrets import (
        KeychainUnavailable,
        cannot_delete_message,
        cannot_save_message,
        delete_secret,
        keychain_available,
        set_secret,
    )

    if not keychain_available():  # before asking for the secret: it could not be kept
        print((cannot_delete_message if action == "delete" else cannot_save_message)(name),
              file=sys.stderr)
        return 1
    if action == "delete":
        if delete_secret(name):
            print(_("Removed '{name}' from the keychain.").format(
                name=name))
            return 0
        print(_("There was no secret called '{name}'.").format(
            name=name), file=sys.stderr)
        return 1
    if sys.stdin.isatty():
        import getpass

        value = getpass.getpass(_("Secret for '{name}': ").format(
            name=name))
    else:
        value = sys.stdin.read().rstrip("\r\n")
    if not value:
        print(_("Nothing was entered; the keychain was not changed."), file=sys.stderr)
        return 1
    try:
        set_secret(name, value)
    except KeychainUnavailable as exc:  # a keychain that fails when asked (locked, no D-Bus)
        print(cannot_save_message(name, exc.message), file=sys.stderr)
        return 1
    print(_("Saved '{name}' in the system keychain.").format(
        name=name))
    return 0
