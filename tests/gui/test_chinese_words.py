"""No English word in the Traditional Chinese window, but product names and a few technical
names (tests/support/english_words.py says which, and why).

The test walks every page of the real window in zh-TW, as a person would come across it:
Rules with a rule of every starter (and one with every card type) selected, each card's
settings, formatting help and Insert-field popup, the trigger's ways to check the sender,
Run test and each card's result; Activity with an order whose email failed, each step of
its run and what arrived; Accounts with each provider's form; Settings, the welcome, the
New rule gallery and the tray menu. It collects every text a person can see or hear
(labels, buttons, group titles, choices, placeholders, tooltips, accessible names, table
and list items and headers, tabs, window titles, menus; not JSON shown as technical
details), takes out what is not the window's own words (the sample events' fields and
values, addresses, file names, numbers; the rules' and accounts' names here are Chinese),
and fails listing each English word with the widget it is on and what it is.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTableView,
    QTextBrowser,
    QTextEdit,
    QTreeView,
    QWidget,
)
from test_translations import catalogue

from bellhop.core.running.fieldlabels import readable
from support.english_words import english_words

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "resources" / "samples"
SMTP = {"kind": "smtp", "host": "127.0.0.1", "port": 2525, "security": "none",
        "username": "", "from": "shop@example.com"}
ACCOUNT = "店裡的信箱"


# -- what the window shows ----------------------------------------------------------------


def plain(text: str) -> str:
    """A label's text without its HTML tags and entities."""
    if "<" not in text and "&" not in text:
        return text
    text = re.sub(r"<[^<>]*>", " ", text)
    return text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&quot;", '"')


def name_of(widget: QWidget) -> str:
    """How to find a widget: the attribute its owner keeps it in, its objectName, or its class."""
    parent = widget.parentWidget()
    while parent is not None:
        for attr, value in vars(parent).items():
            if value is widget:
                return attr
        parent = parent.parentWidget()
    return widget.objectName() or type(widget).__name__


def path_of(widget: QWidget) -> str:
    """Where a widget is: MainWindow/pages/rules_page/…/form/FieldRow/label (QLabel)."""
    names: list[str] = []
    current: QWidget | None = widget
    while current is not None:
        named = name_of(current)
        keep = current is widget or not named.startswith("Q") or bool(current.objectName())
        if keep and (not names or named != names[-1]):
            names.append(named)
        current = current.parentWidget()
    kind = type(widget).__name__
    return "/".join(reversed(names)) + ("" if names[0] == kind else f" ({kind})")


def prose(document: QTextDocument) -> Iterator[str]:
    """A document's paragraphs but those in a monospace font (technical details: JSON)."""
    block = document.begin()
    while block.isValid():
        families = list(block.charFormat().fontFamilies() or [])
        fragments = block.begin()
        while not fragments.atEnd():
            families += fragments.fragment().charFormat().fontFamilies() or []
            fragments += 1
        if "monospace" not in families:
            yield block.text()
        block = block.next()


def view_texts(view: QAbstractItemView) -> Iterator[tuple[str, str]]:
    """Header texts, and every item's text and tooltip (two levels deep)."""
    model = view.model()
    if model is None:
        return
    header = view.horizontalHeader() if isinstance(view, QTableView) else \
        view.header() if isinstance(view, QTreeView) else None
    if header is not None:
        for section in range(header.count()):
            yield "header", str(model.headerData(section, Qt.Orientation.Horizontal) or "")
    todo: list[QModelIndex] = [QModelIndex()]
    while todo:
        parent = todo.pop()
        for row in range(model.rowCount(parent)):
            column = 0
            while (index := model.index(row, column, parent)).isValid():
                for kind, role in (("item", Qt.ItemDataRole.DisplayRole),
                                   ("item tooltip", Qt.ItemDataRole.ToolTipRole)):
                    value = index.data(role)
                    if isinstance(value, str):
                        yield kind, value
                column += 1
            if not parent.isValid():  # two levels: runs and their steps
                todo.append(model.index(row, 0, parent))


def widget_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(what it is, text) for every text of one widget a person can read or hear."""
    yield "tooltip", widget.toolTip()
    yield "accessible name", widget.accessibleName()
    yield "accessible description", widget.accessibleDescription()
    if widget.isWindow():
        yield "window title", widget.windowTitle()
    if isinstance(widget, QLabel):
        yield "text", plain(widget.text())
    if isinstance(widget, QAbstractButton | QGroupBox):
        yield "text", widget.text() if isinstance(widget, QAbstractButton) else widget.title()
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        yield "placeholder", widget.placeholderText()
    if isinstance(widget, QTextBrowser):
        yield from (("text", text) for text in prose(widget.document()))
    if isinstance(widget, QComboBox):
        for i in range(widget.count()):
            yield "choice", widget.itemText(i)
            yield "choice tooltip", str(widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
    if isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield "tab", widget.tabText(i)
            yield "tab tooltip", widget.tabToolTip(i)
    if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        yield from view_texts(widget)
    if isinstance(widget, QMenu):
        yield "menu", widget.title()
    for action in widget.actions():
        text = action.text().replace("&", "")
        yield "menu item", text
        if action.toolTip().replace("&", "") != text:
            yield "menu item tooltip", action.toolTip()
        if action.menu() is not None:
            yield from widget_texts(action.menu())


def shown_texts(root: QWidget) -> Iterator[tuple[QWidget, str, str]]:
    """(widget, what it is, text) for the root and every widget inside it, shown or not."""
    for widget in [root, *root.findChildren(QWidget)]:
        for kind, text in widget_texts(widget):
            if text and text.strip():
                yield widget, kind, text


# -- what is not the window's own words ---------------------------------------------------


def leaves(value: Any) -> Iterator[str]:
    """Every key and text inside a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    elif value is not None:
        yield str(value)


def sample_data() -> set[str]:
    """What the window shows of Bellhop's sample events: the fields (the event's own, such as
    headers and method, and the sender's), their values, and the keys made readable."""
    from bellhop.ui.rules.samples import SHIPPED, load_shipped, sample_values

    found: set[str] = set()
    for sample in SHIPPED:
        found |= set(leaves(sample_values(load_shipped(sample.key), "規則")))
    found |= {readable(key) for key in list(found) if re.fullmatch(r"[A-Za-z_]\w*", key)}
    return found


class Finder:
    """English words in the window's texts, with the widget each is on."""

    def __init__(self, data: Iterable[str]) -> None:
        self.data: set[str] = set()
        self.untranslated = {source for source, text in catalogue().items() if text != source}
        self.found: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
        self.seen: set[str] = set()
        self.add_data(data)

    def add_data(self, data: Iterable[str]) -> None:
        """Words that are the user's or the sender's, not the window's (whole words only)."""
        self.data |= {word.lower() for item in data for word in re.findall(r"[A-Za-z]+", item)}

    def english(self, text: str, widget: QWidget) -> list[str]:
        """The English words of one text; all of it when it is a catalogue text left in
        English (but a table's or a list's cell may hold data that reads like one: a header
        called "Connection")."""
        is_data = isinstance(widget, QAbstractItemView) and text.lower() in self.data
        if text in self.untranslated and not is_data:
            return [text]
        return [word for word in english_words(text, placeholders=False)
                if word.lower() not in self.data]  # headers show "host" as "Host"

    def look(self, root: QWidget, where: str) -> None:
        """Remember every English word of `root` and its widgets, and where it was seen."""
        for widget, kind, text in shown_texts(root):
            self.seen.add(text)
            words = self.english(text, widget)
            if words:
                self.found.setdefault((path_of(widget), kind, text), (where, sorted(set(words))))

    def report(self) -> str:
        """One line for each text: the widget, what the text is, when it was seen, the words."""
        return "\n".join(
            f"  {path}, {kind} ({where}): {text!r} has {', '.join(words)}"
            for (path, kind, text), (where, words) in sorted(self.found.items()))


# -- the walk ---------------------------------------------------------------------------


def call(app: Any, qtbot: Any, work: Any) -> Any:
    """Run `work(service)` on the engine loop and wait for its answer."""
    answers: list[Any] = []
    app.bridge.call_plain(work, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=10000)
    return answers[0]


def visit_rules(app: Any, qtbot: Any, finder: Finder) -> None:
    """A rule of every starter, and one with every card type; each card's settings in turn."""
    from bellhop.core.gallery.starters import STARTERS

    window = app.window
    page = window.rules_page
    window.show_page("rules")
    finder.look(page, "Rules, no rule yet")
    for number, starter in enumerate(STARTERS, 1):
        rule_id = page.keeper.create(starter, f"規則{number}", [ACCOUNT])
        qtbot.waitUntil(lambda rule_id=rule_id: page.draft is not None
                        and page.draft.id == rule_id, timeout=10000)
        visit_cards(page, finder, f"rule from the {starter.key!r} starter")
    blank = next(starter for starter in STARTERS if starter.key == "blank")
    rule_id = page.keeper.create(blank, "每種動作", [ACCOUNT])
    qtbot.waitUntil(lambda: page.draft is not None and page.draft.id == rule_id, timeout=10000)
    for action in page.registry:  # some card types are in no starter
        page.chain.insert_card(len(page.chain.cards), action.type)
    visit_cards(page, finder, "rule with every card type")


def visit_cards(page: Any, finder: Finder, rule: str) -> None:
    """The trigger with each way to check the sender, then every card's settings."""
    from bellhop.ui.rules.problems import TRIGGER

    page.chain.select(TRIGGER)
    trigger = page.inspector.trigger
    finder.look(page, f"{rule}, trigger")
    for combo in trigger.findChildren(QComboBox):
        for index in range(combo.count()):
            combo.setCurrentIndex(index)
            finder.look(trigger, f"{rule}, trigger, {combo.itemText(index)}")
    for index in range(len(page.chain.cards)):
        page.chain.select(index)
        finder.look(page, f"{rule}, card {index + 1}")
        page.inspector.filter_help.toggle.setChecked(True)
        finder.look(page.inspector, f"{rule}, card {index + 1}, formatting help")
        pickers = [button for button in page.inspector.findChildren(QAbstractButton)
                   if hasattr(button, "open_picker")]
        if pickers:  # the Insert-field popup of the card's first template field
            popup = pickers[0].open_picker()
            finder.look(popup, f"{rule}, card {index + 1}, Insert field")
            popup.close()


def visit_test(app: Any, qtbot: Any, finder: Finder, rule: dict[str, Any]) -> None:
    """Listen for a test event and get one; Run test with it, and each card's result."""
    from bellhop.ui.rules.problems import TRIGGER

    window = app.window
    page = window.rules_page
    window.show_page("rules")
    page.refresh(select=rule["id"])
    qtbot.waitUntil(lambda: page.draft is not None and page.draft.id == rule["id"],
                    timeout=10000)
    page.chain.select(TRIGGER)
    trigger = page.inspector.trigger
    trigger.listen_button.click()
    qtbot.waitUntil(lambda: trigger.listen_status.isVisible(), timeout=5000)
    finder.look(page, "Rules, listening for a test event")
    deliver(app, rule, (SAMPLES / "shopify_order_create.json").read_bytes())
    qtbot.waitUntil(lambda: page.context.has_sample and not trigger.listen_button.isChecked(),
                    timeout=10000)
    finder.look(page, "Rules, a test event arrived")
    page.run_test()
    qtbot.waitUntil(lambda: bool(page.chain.results), timeout=15000)
    finder.look(page, "Rules, after Run test")
    for index in sorted(page.chain.results):
        page.chain.detailsRequested.emit(index)
        for dialog in page.findChildren(QDialog):
            finder.look(dialog, f"Rules, after Run test, card {index + 1}'s result")
            dialog.close()
            dialog.deleteLater()


def deliver(app: Any, rule: dict[str, Any], body: bytes) -> str:
    """POST `body` to the rule's address, as a sender would; the event's id."""
    url = f"{app.bridge.service.receiver.base_url}/hooks/{rule['trigger']['token']}"
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return str(json.loads(answer.read())["event_id"])


def visit_activity(app: Any, qtbot: Any, finder: Finder) -> dict[str, Any]:
    """A sample order through a rule whose email cannot be sent, then every step of its run."""
    from bellhop.core.running.rules import new_token

    window = app.window
    rule = {"id": "r_orders", "name": "大額訂單", "enabled": True,
            "trigger": {"type": "webhook", "token": new_token()},
            "steps": [
                {"type": "filter", "match": "all",
                 "conditions": [{"field": "body.total_price", "op": "gt", "value": 1000}]},
                {"type": "send_email", "account": ACCOUNT, "to": "warehouse@example.com",
                 "subject": "新訂單 {{ body.name }}", "body": "{{ body.total_price }}",
                 "retry": {"attempts": 1}}]}
    call(app, qtbot, lambda s: s.upsert_rule(rule))
    event_id = deliver(app, rule, (SAMPLES / "shopify_order_create.json").read_bytes())
    window.show_page("activity")
    activity = window.activity_page
    qtbot.waitUntil(lambda: activity.model.rowCount() >= 1
                    and activity.model.event_at(0).status == "failed", timeout=15000)
    activity.select_event(event_id)
    qtbot.waitUntil(lambda: activity.detail.shown is not None, timeout=5000)
    finder.add_data(leaves(dict(activity.detail.shown.headers)))  # what urllib sent
    finder.look(activity, "Activity, a failed order")
    tree = activity.detail.runs.tree
    run = tree.topLevelItem(0)
    for item in [run, *(run.child(i) for i in range(run.childCount()))]:
        tree.setCurrentItem(item)
        finder.look(activity, f"Activity, a failed order, {item.text(0)}")
    activity.detail.tabs.setCurrentIndex(1)
    finder.look(activity, "Activity, what arrived")
    return rule


def visit_accounts(app: Any, qtbot: Any, finder: Finder) -> None:
    """The saved mail account, and the new-account form for every provider."""
    window = app.window
    window.show_page("accounts")
    accounts = window.accounts_page
    accounts.reload()
    qtbot.waitUntil(lambda: accounts.list.topLevelItemCount() >= 1, timeout=5000)
    finder.look(accounts, "Accounts")
    accounts.add_account()
    form = accounts.form
    for index in range(form.provider.count()):
        form.provider.setCurrentIndex(index)
        finder.look(accounts, f"Accounts, new account, {form.provider.itemText(index)}")
    accounts.list.setCurrentItem(accounts.list.topLevelItem(0))
    finder.look(accounts, "Accounts, the saved account")


def test_the_chinese_window_has_no_english_words(chinese_app: Any, qtbot: Any) -> None:
    from bellhop.core.i18n import _
    from bellhop.ui.rules.gallery import NewRuleDialog

    app = chinese_app
    window = app.window
    call(app, qtbot, lambda s: s.set_account(ACCOUNT, SMTP))
    finder = Finder([*sample_data(), ACCOUNT, SMTP["from"]])
    finder.look(window, "the window as it opens")
    visit_rules(app, qtbot, finder)
    visit_test(app, qtbot, finder, visit_activity(app, qtbot, finder))
    visit_accounts(app, qtbot, finder)
    window.show_page("settings")
    finder.look(window.settings_page, "Settings")
    finder.look(window.open_welcome(), "Welcome")
    gallery = NewRuleDialog(window)
    finder.look(gallery, "New rule gallery")
    gallery.deleteLater()
    app.tray.refresh_rules()
    finder.look(app.tray.menu, "tray menu")
    finder.look(window, "the whole window at the end")
    # The walk reached each part: a text of each, as the catalogue gives it.
    for part in ("Run test", "Attempts", "Stop listening", "What happened", "Authtoken",
                 "Language",
                 "Welcome to Bellhop", "Create rule", "Open Bellhop"):
        assert _(part) in finder.seen, part
    assert not finder.found, (
        "English words in the zh-TW window. Translate them (bellhop.po, or your "
        "fragments/*.po for new texts), or allow a product name with its reason in "
        "tests/support/english_words.py. Widget, what the text is (when seen): text\n"
        + finder.report())
