"""Every message the core shows a person exists in Traditional Chinese, with the same blanks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bellhop.core.i18n import set_language, system_language, tr
from bellhop.core.messages_zh_tw import ZH_TW

PACKAGE = Path(__file__).parents[3] / "desktop" / "bellhop"


def translatable_literals() -> set[str]:
    """The first argument of every tr("...") call in the Qt-free package."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_core_message_has_a_chinese_translation() -> None:
    missing = sorted(translatable_literals() - ZH_TW.keys())
    assert not missing, "untranslated:\n" + "\n".join(missing)


@pytest.mark.parametrize("english", sorted(ZH_TW))
def test_translation_keeps_the_placeholders(english: str) -> None:
    blanks = set(re.findall(r"{(\w+)}", english))
    assert set(re.findall(r"{(\w+)}", ZH_TW[english])) == blanks
    assert ZH_TW[english].strip()


def test_language_switch_and_system_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("zh_TW")
    try:
        assert tr("No events yet.") == ZH_TW["No events yet."]
    finally:
        set_language("en")
    assert tr("No events yet.") == "No events yet."
    monkeypatch.setenv("LC_ALL", "zh_TW.UTF-8")
    system_language.cache_clear()  # the guess is made once per process
    assert system_language() == "zh_TW"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    system_language.cache_clear()
    assert system_language() == "en"
    system_language.cache_clear()
