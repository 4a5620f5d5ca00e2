"""A ready-made rule added to rules.json without the window (`bellhop rule new`).

The rule is made as the window's gallery makes it (the only account of each kind
filled in) and written with the window's own rules.json writer (the documented
format, written atomically). It stays off while anything keeps it from running.
A running Bellhop picks the new rule up from the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bellhop.core.cards import Registry
from bellhop.core.errors import ConfigError
from bellhop.core.gallery.needs import missing_for_new_rule
from bellhop.core.gallery.starters import STARTERS, Starter, fill_for, new_rule
from bellhop.core.i18n import _
from bellhop.core.platform import paths
from bellhop.core.platform.accounts import load_accounts
from bellhop.core.platform.jsonfile import FileProblem, read_edited_json
from bellhop.core.platform.settings import Settings
from bellhop.core.running.rules import RULES_VERSION, save_rules

MAX_NAME = 200  # as rules.json allows
_WRITE_TRIES = 5  # rules.json changed under us this often in a row: give up and say so


class UnknownTemplate(ConfigError):
    """No template has the name asked for."""


class NameTaken(ConfigError):
    """Another rule already has the name asked for."""


@dataclass
class AddedRule:
    """What `add_from_template` wrote, and what still keeps the rule from running."""

    raw: dict[str, Any]
    problems: list[str]
    accounts_problem: str = ""  # accounts.json could not be read: why


def template_names() -> list[str]:
    """The names `bellhop rule new --template` takes, in the gallery's order."""
    return [starter.key for starter in STARTERS]


def find_starter(name: str) -> Starter:
    """The template called `name` (case and - or _ do not matter); UnknownTemplate if none."""
    wanted = name.strip().lower().replace("-", "_")
    for starter in STARTERS:
        if starter.key == wanted:
            return starter
    names = ", ".join(template_names())
    close = difflib.get_close_matches(wanted, template_names(), n=1)
    if close:
        raise UnknownTemplate(_("There is no template called “{name}”. Did you mean “{close}”? "
                                "The templates are: {names}.").format(
            name=name, close=close[0], names=names))
    raise UnknownTemplate(_("There is no template called “{name}”. The templates are: "
                            "{names}.").format(name=name, names=names))


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def choose_name(starter: Starter, wanted: str | None, taken: list[str]) -> str:
    """The new rule's name: `wanted` when it is free (NameTaken otherwise), or the gallery's
    suggestion, numbered "(2)", "(3)"… when a rule has it already."""
    used = {_folded(name) for name in taken}
    if wanted is not None:
        name = " ".join(wanted.split())
        if not name:
            raise ConfigError(_("The rule's name is empty. Give it a name with --name, or "
                                "leave --name out to use the template's."))
        if len(name) > MAX_NAME:
            raise ConfigError(_("The rule's name is too long: at most {n} characters.").format(
                n=MAX_NAME))
        if _folded(name) in used:
            raise NameTaken(_("There is already a rule called “{name}”. Choose another name "
                              "with --name.").format(name=name))
        return name
    base = starter.suggested_name()
    name, n = base, 1
    while _folded(name) in used:
        n += 1
        name = f"{base} ({n})"
    return name


def _read_rules(path: Path) -> tuple[bytes | None, list[Any]]:
    """rules.json's bytes as read (None: no file) and its rules; FileProblem as told."""
    try:
        before = path.read_bytes()
    except FileNotFoundError:
        before = None
    except OSError:
        before = b""  # read_edited_json says why in words
    try:
        raw_rules = read_edited_json(path, expect_version=RULES_VERSION, key="rules",
                                     kind=list) or []
    except FileProblem as exc:
        raise ConfigError(_("{problem} Fix rules.json first; nothing was changed.").format(
            problem=exc.message)) from exc
    return before, raw_rules


def _unchanged(path: Path, before: bytes | None) -> bool:
    try:
        return path.read_bytes() == before
    except FileNotFoundError:
        return before is None


def _accounts(home: Path) -> tuple[dict[str, dict[str, Any]] | None, str]:
    try:
        return load_accounts(paths.accounts_file(home)), ""
    except FileProblem as exc:
        return None, exc.message


def add_from_template(home: Path, registry: Registry, starter: Starter, name: str | None,
                      secret_saved: Callable[[str], bool]) -> AddedRule:
    """Add a rule made from `starter` at the end of rules.json, on only when nothing keeps
    it from running. A rules.json with a mistake is left as it is (ConfigError)."""
    path = paths.rules_file(home)
    accounts, accounts_problem = _accounts(home)
    for _attempt in range(_WRITE_TRIES):
        before, raw_rules = _read_rules(path)
        taken = [str(r.get("name") or "") for r in raw_rules if isinstance(r, dict)]
        raw = new_rule(starter, choose_name(starter, name, taken), fill_for(accounts or {}))
        problems = missing_for_new_rule(raw, registry, accounts, secret_saved)
        if accounts_problem:
            problems.append(_("The accounts cannot be read now: {problem}").format(
                problem=accounts_problem))
        raw["enabled"] = not problems
        # The window or a hand edit may have saved rules.json meanwhile: never write over it.
        if _unchanged(path, before):
            home.mkdir(parents=True, exist_ok=True)
            save_rules(path, [*raw_rules, raw])
            return AddedRule(raw, problems, accounts_problem)
    raise ConfigError(_("rules.json kept changing while the rule was being added; nothing was "
                        "changed. Try again."))


def hook_address(settings: Settings, token: str) -> tuple[str, bool]:
    """A rule's webhook address as far as the data home can tell, and whether it is public
    (a reserved ngrok domain); otherwise the local one, which works on this computer only."""
    domain = settings.ngrok_domain.strip().removeprefix("https://").removeprefix(
        "http://").strip("/")
    if settings.tunnel == "ngrok" and domain:
        return f"https://{domain}/hooks/{token}", True
    host = settings.host if settings.host not in ("0.0.0.0", "", "::") else "127.0.0.1"
    return f"http://{host}:{settings.port}/hooks/{token}", False

