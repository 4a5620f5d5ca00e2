"""`bellhop rules check`: rules.json and accounts.json read as the engine reads them, every
problem printed with its rule, card and field in words; exit 1 on any, 0 when clean.

The rules are checked by the code that loads them for the engine and the window
(core/running/rules.py), with the accounts of accounts.json, so what it prints is what
the window shows on a rule that cannot run.
"""

from __future__ import annotations

from bellhop.actions.registry import default_registry
from bellhop.core.i18n import _, ngettext
from bellhop.core.platform import paths
from bellhop.core.platform.account_check import account_problems
from bellhop.core.platform.accounts import load_accounts
from bellhop.core.platform.jsonfile import FileProblem
from bellhop.core.running.rules import LoadedRule, load_rules


def check_files() -> int:
    """Print each problem of rules.json and accounts.json; 1 when there is any."""
    home = paths.data_home()
    problems: list[str] = []
    accounts: dict[str, dict[str, object]] | None = None
    accounts_problem: str | None = None
    try:
        accounts = load_accounts(paths.accounts_file(home))
    except FileProblem as exc:
        accounts_problem = exc.message
        problems.append(exc.message)
    for name, entry in (accounts or {}).items():
        for problem in account_problems(entry):
            problems.append(_("accounts.json, account “{name}”: {problem}").format(
                name=name, problem=problem))
    rules_path = paths.rules_file(home)
    rules: list[LoadedRule] | None = None
    try:
        rules = load_rules(rules_path, default_registry(), accounts, accounts_problem)
    except FileProblem as exc:
        problems.append(exc.message)
    for rule in rules or []:
        for problem in rule.problems:
            problems.append(_("rules.json, rule “{rule}” ({id}): {problem}").format(
                rule=rule.name, id=rule.id or "?", problem=problem))
    if not rules_path.exists():
        print(_("There is no rules.json in {home} yet: no rules to check.").format(home=home))
    elif rules is None:
        print(_("rules.json cannot be read, so its rules were not checked."))
    else:
        print(ngettext("rules.json: {count} rule checked.", "rules.json: {count} rules checked.",
                       len(rules)).format(count=len(rules)))
    for problem in problems:
        print(problem)
    if problems:
        print(ngettext("{count} problem found.", "{count} problems found.",
                       len(problems)).format(count=len(problems)))
        return 1
    print(_("No problems found."))
    return 0
