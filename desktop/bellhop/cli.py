"""The `bellhop` command: the window by default, `serve` without one, and helpers."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import Any

from bellhop import __version__
from bellhop.commands import add_parsers as add_event_commands
from bellhop.commands import run as run_event_command
from bellhop.commands.serve import serve
from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
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
