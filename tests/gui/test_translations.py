"""The zh_TW catalogue: complete, current, compiled, and what the window really shows."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTableView,
    QTreeView,
    QWidget,
)

from helpers import start_app, stop_app

ROOT = Path(__file__).parents[2]
UI = ROOT / "desktop" / "bellhop" / "ui"
TS = ROOT / "resources" / "translations" / "bellhop_zh_TW.ts"
QM = TS.with_suffix(".qm")
GONE = ("vanished", "obsolete")
REFRESH = "run `make translations`, `python tools/translate_zh_tw.py`, `make translations`"

# Literals given to tr() that lupdate cannot see; each is reported to be fixed in the UI
# code. Remove an entry once its text shows up in the catalogue.
NOT_EXTRACTED: set[tuple[str, str]] = set()


def qt_tool(name: str) -> str:
    """A PySide6 tool (pyside6-lupdate, pyside6-lrelease) next to this Python."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def messages(ts: Path) -> list[tuple[str, ET.Element]]:
    """(context, <message>) for every message lupdate still finds in the sources."""
    root = ET.parse(ts).getroot()
    found = []
    for context in root.iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") not in GONE:
                found.append((context.findtext("name") or "", message))
    return found


def pairs(ts: Path) -> set[tuple[str, str]]:
    """The (context, source) pairs of a catalogue."""
    return {(context, message.findtext("source") or "") for context, message in messages(ts)}


def translated(message: ET.Element) -> str:
    """A message's translation (the one plural form for zh_TW)."""
    translation = message.find("translation")
    assert translation is not None
    forms = translation.findall("numerusform")
    return "".join(form.text or "" for form in forms) if forms else translation.text or ""


def catalogue() -> dict[tuple[str, str], str]:
    """(context, source) → translation."""
    return {(context, message.findtext("source") or ""): translated(message)
            for context, message in messages(TS)}


def placeholders(text: str) -> Counter[str]:
    """{name} and %n placeholders, and HTML tags, which translations must keep."""
    return Counter(re.findall(r"\{[^{}]*\}|%n|%\d+|</?[a-z]+", text))


CJK = r"[\u3400-\u9fff]"
HALF_WIDTH_NEXT_TO_CJK = re.compile(rf"{CJK}[,:;!?()]|[,;!?(]{CJK}|{CJK}\.(?!\w)")


def test_every_message_is_translated_and_keeps_its_placeholders() -> None:
    found = messages(TS)
    assert len(found) > 300
    problems = []
    for context, message in found:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        text = translated(message)
        where = f"[{context}] {source!r}"
        if translation is None or translation.get("type") == "unfinished" or not text.strip():
            problems.append(f"{where}: not translated")
        elif placeholders(source) != placeholders(text):
            problems.append(f"{where}: placeholders {placeholders(text)} should be "
                            f"{placeholders(source)}")
        elif ("&" in source) != ("&" in text):
            problems.append(f"{where}: the keyboard accelerator (&) was lost or added")
        elif HALF_WIDTH_NEXT_TO_CJK.search(text):
            problems.append(f"{where}: use full-width punctuation in {text!r}")
        if message.get("numerus") == "yes" and translation is not None \
                and len(translation.findall("numerusform")) != 1:
            problems.append(f"{where}: zh_TW has exactly one plural form")
    assert not problems, "\n".join(problems)


def test_the_catalogue_holds_exactly_the_texts_of_the_current_sources(tmp_path: Path) -> None:
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    sources = sorted(str(path) for path in UI.rglob("*.py"))
    subprocess.run([qt_tool("pyside6-lupdate"), "-locations", "none", *sources, "-ts",
                    str(fresh)], check=True, capture_output=True, timeout=120)
    current, stored = pairs(fresh), pairs(TS)
    assert not current - stored, f"new texts without a translation ({REFRESH}): " \
        f"{sorted(current - stored)}"
    assert not stored - current, f"texts no longer in the sources ({REFRESH}): " \
        f"{sorted(stored - current)}"


def literal_tr_calls() -> set[tuple[str, str, str]]:
    """(file:line, context, text) for tr()/translate() calls with a literal text.

    The context of self.tr / Class.tr is the enclosing or named class, as lupdate sees it.
    """
    found = set()
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [None, *[n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]]:
            body = tree if cls is None else cls
            for node in ast.walk(body):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2 \
                        and isinstance(args[0], str) and isinstance(args[1], str):
                    found.add((where, args[0], args[1]))
                elif name == "tr" and args and isinstance(args[0], str) and cls is not None:
                    owner = func.value if isinstance(func, ast.Attribute) else None
                    context = owner.id if isinstance(owner, ast.Name) and owner.id != "self" \
                        else cls.name
                    found.add((where, context, args[0]))
    return found


def test_every_literal_given_to_tr_is_in_the_catalogue() -> None:
    """lupdate silently skips some calls (inside f-strings, with None as disambiguation)."""
    stored = pairs(TS)
    missed = {(context, text): where for where, context, text in literal_tr_calls()
              if (context, text) not in stored}
    unexpected = {key: where for key, where in missed.items() if key not in NOT_EXTRACTED}
    assert not unexpected, "lupdate does not see these texts, so they are never translated: " \
        + "; ".join(f"{where} [{ctx}] {text!r}" for (ctx, text), where in unexpected.items())


def test_the_qm_file_is_the_compiled_catalogue(tmp_path: Path) -> None:
    compiled = tmp_path / QM.name
    subprocess.run([qt_tool("pyside6-lrelease"), str(TS), "-qm", str(compiled)],
                   check=True, capture_output=True, timeout=120)
    assert QM.read_bytes() == compiled.read_bytes(), f"the .qm is stale: {REFRESH}"
    translator = QTranslator()
    assert translator.load(str(QM))
    for (context, source), text in catalogue().items():
        assert translator.translate(context, source) == text, (context, source)


# -- the window in Traditional Chinese -------------------------------------------------------


def start_bellhop(qtbot: Any, qapp: Any, home: Path, language: str) -> Any:
    """A started BellhopApp whose settings.json chose `language` before the window was built."""
    from bellhop.core.platform import paths
    from bellhop.core.platform.settings import Settings, save_settings
    save_settings(paths.settings_file(home), Settings(language=language))
    return start_app(qtbot, qapp, home)


def stop_bellhop(app: Any, qapp: Any) -> None:
    """Stop the app and take the translators out again, so later tests read English."""
    from bellhop.ui.i18n import install_translations

    stop_app(app)
    install_translations(qapp, "en")


@pytest.fixture
def chinese_app(qtbot: Any, qapp: Any, home: Path) -> Iterator[Any]:
    """BellhopApp started with "language": "zh_TW" in settings.json."""
    app = start_bellhop(qtbot, qapp, home, "zh_TW")
    yield app
    stop_bellhop(app, qapp)


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(widget class, text) for every label, button, placeholder, header, item and tooltip."""
    texts: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        kind = type(widget).__name__
        found = [widget.toolTip()]
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        if isinstance(widget, QGroupBox):
            found.append(widget.title())
        if isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QListWidget):
            found += [widget.item(i).text() for i in range(widget.count())]
        header = widget.horizontalHeader() if isinstance(widget, QTableView) else \
            widget.header() if isinstance(widget, QTreeView) else None
        if header is not None and header.model() is not None:
            found += [str(header.model().headerData(i, Qt.Orientation.Horizontal) or "")
                      for i in range(header.count())]
        if isinstance(widget, QMenu):
            found += [action.text() for action in widget.actions()]
        texts += [(kind, text) for text in found if text]
    return texts


def english_left(root: QWidget) -> list[str]:
    """Shown texts that are an English catalogue source whose translation differs."""
    english = {source for (_, source), text in catalogue().items() if text != source}
    return sorted({f"{kind}: {text!r}" for kind, text in shown_texts(root) if text in english})


def test_the_window_speaks_traditional_chinese(chinese_app: Any, qtbot: Any,
                                               tmp_path: Path) -> None:
    window = chinese_app.window
    nav = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert nav == ["規則", "活動", "帳號", "設定"]
    qtbot.waitUntil(lambda: "等候 Webhook" in window.engine_state.text(), timeout=5000)
    rules = window.rules_page
    assert rules.empty.isVisible()
    assert "規則" in " ".join(text for _, text in shown_texts(rules.empty))

    from bellhop.ui.rules.starters import STARTERS

    shopify = next(starter for starter in STARTERS if starter.key == "shopify")
    rule_id = rules.keeper.create(shopify, "Shopify 訂單", [])
    qtbot.waitUntil(lambda: rules.draft is not None and rules.draft.id == rule_id,
                    timeout=10000)
    assert "只在…時繼續" in rules.chain.cards[0].title.text()  # card names from the schema
    steps = rules.draft.steps
    assert steps[1]["subject"].startswith("新訂單")  # starter texts are translated too
    assert "訂單編號" in steps[2]["columns"]
    for index in range(len(steps)):
        rules.chain.select(index)  # every card's generated form, in turn
        assert english_left(window) == []
    for page in ("activity", "accounts", "settings"):
        window.show_page(page)
        assert english_left(window) == [], page
    assert chinese_app.tray.menu.actions()[0].text() == "開啟 Bellhop"
