"""The window in Traditional Chinese: Bellhop's texts from the gettext catalogue, and Qt's
own dialogs from the catalogue PySide6 ships. (The catalogue itself is checked by
tests/unit/core/test_i18n.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from PySide6.QtCore import QLibraryInfo, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QTableView,
    QTreeView,
    QWidget,
)

from helpers import start_app, stop_app

ROOT = Path(__file__).parents[2]
PO = ROOT / "resources" / "locale" / "zh_TW" / "LC_MESSAGES" / "bellhop.po"


def catalogue() -> dict[str, str]:
    """English source → Traditional Chinese, for every message (plurals: both sources)."""
    with PO.open("rb") as f:
        found: dict[str, str] = {}
        for message in read_po(f):
            if not message.id:
                continue
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            text = message.string[0] if isinstance(message.string, tuple) else message.string
            found.update((source, text) for source in sources)
    return found


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
    english = {source for source, text in catalogue().items() if text != source}
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

    from bellhop.core.gallery.starters import STARTERS

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


def test_qt_ships_its_own_words_in_traditional_chinese() -> None:
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_zh_TW.qm").is_file(), folder


def test_qt_dialogs_speak_traditional_chinese(chinese_app: Any, qtbot: Any) -> None:
    """Buttons Bellhop does not write (Yes/No, Cancel, the file chooser's) are Qt's."""
    box = QMessageBox(QMessageBox.Icon.Question, "Bellhop", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    words = sorted(button.text() for button in box.buttons())
    assert words == sorted(["是(&Y)", "否(&N)", "取消"]), words
    dialog = QFileDialog(chinese_app.window, "", str(Path.home()))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    QTimer.singleShot(0, dialog.reject)
    dialog.show()
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    assert "取消" in [button.text() for button in buttons.buttons()]
    assert any("開啟" in label.text() or "檔名" in label.text()
               for label in dialog.findChildren(QLabel)), \
        [label.text() for label in dialog.findChildren(QLabel)]
    dialog.close()
