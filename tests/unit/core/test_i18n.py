"""The gettext catalogue: every marked text translated, the .pot and .mo current, and the
language switch of bellhop.core.i18n."""

from __future__ import annotations

import ast
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bellhop.core import i18n
from bellhop.core.i18n import (
    N_,
    NP_,
    _,
    current_language,
    locale_dir,
    ngettext,
    set_language,
    system_language,
    translate_to,
)
from bellhop.core.platform.settings import Settings, load_settings, save_settings
from support.languages import forget_languages, locale_with_japanese

ROOT = Path(__file__).parents[3]
PACKAGE = ROOT / "desktop" / "bellhop"
LOCALE = ROOT / "resources" / "locale"
POT = LOCALE / "bellhop.pot"
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/bellhop.po"))
REFRESH = "run `make translations` and translate what is new in the .po"


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def keys(catalog: Catalog) -> set[tuple[str | None, str | tuple[str, ...]]]:
    """(context, id) of every message but the header."""
    return {(m.context, m.id) for m in catalog if m.id}


def extracted() -> set[tuple[str | None, str | tuple[str, ...]]]:
    """What `make translations` would collect from the sources now (same keywords)."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                if line.startswith("BABEL_KEYWORDS"))
    specs = re.findall(r"-k (\S+)", line)
    found = set()
    for _path, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map=[("desktop/bellhop/**.py", "python")],
            keywords=parse_keywords(specs)):
        found.add((context, message))
    return found


def test_there_is_a_catalogue_for_traditional_chinese() -> None:
    assert locale_dir() == LOCALE
    assert [p.parts[-3] for p in PO_FILES] == ["zh_TW"]
    assert (LOCALE / "zh_TW" / "LC_MESSAGES" / "bellhop.mo").is_file()


def test_the_template_holds_exactly_the_texts_of_the_sources() -> None:
    current, stored = extracted(), keys(read(POT))
    assert len(current) > 800
    assert not current - stored, f"new texts ({REFRESH}): {sorted(map(str, current - stored))}"
    assert not stored - current, f"texts gone from the sources ({REFRESH}): " \
        f"{sorted(map(str, stored - current))}"


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parts[-3])
def test_every_text_is_translated_and_keeps_its_placeholders(po: Path) -> None:
    catalog = read(po)
    assert keys(catalog) == keys(read(POT)), REFRESH
    problems = [problem for message in catalog if message.id
                for problem in translation_problems(message, catalog.num_plurals)]
    assert not problems, "\n".join(problems)


def placeholders(text: str) -> Counter[str]:
    """{name} placeholders and HTML tags, which translations must keep."""
    return Counter(re.findall(r"\{[^{}]*\}|</?[a-z]+", text))


CJK = r"[\u3400-\u9fff]"
HALF_WIDTH_NEXT_TO_CJK = re.compile(rf"{CJK}[,:;!?()]|[,;!?(]{CJK}|{CJK}\.(?!\w)")
ACCELERATOR = re.compile(r"&\w")  # "&Quit"; "APIs & Services" is no accelerator
# What a person types as it is (curl's -H 'Name: value') keeps its half-width colon.
HALF_WIDTH_ON_PURPOSE = {"Left out: {headers}. Bellhop does not keep the credentials a sender "
                         "sends; add them with -H 'Name: value' if the rule checks them."}


def translation_problems(message: Message, plurals: int) -> list[str]:
    """What is wrong with one message's translation, in words."""
    sources = message.id if isinstance(message.id, tuple) else (message.id,)
    texts = message.string if isinstance(message.string, tuple) else (message.string,)
    where = repr(sources[-1]) + (f" ({message.context})" if message.context else "")
    if message.fuzzy or len(texts) != (plurals if len(sources) > 1 else 1) \
            or not all(text.strip() for text in texts):
        return [f"{where}: not translated"]
    problems = []
    for text in texts:
        # A singular like "Tried once" may leave the number out; the plural keeps it.
        if placeholders(sources[-1]) != placeholders(text) \
                and placeholders(sources[0]) != placeholders(text):
            problems.append(f"{where}: placeholders {placeholders(text)} should be "
                            f"{placeholders(sources[-1])}")
        if bool(ACCELERATOR.search(sources[-1])) != bool(ACCELERATOR.search(text)):
            problems.append(f"{where}: the keyboard accelerator (&) was lost or added")
        if HALF_WIDTH_NEXT_TO_CJK.search(text) and sources[-1] not in HALF_WIDTH_ON_PURPOSE:
            problems.append(f"{where}: use full-width punctuation in {text!r}")
    return problems


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parts[-3])
def test_the_mo_file_is_the_compiled_catalogue(po: Path) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, read(po))  # what `pybabel compile` writes
    assert po.with_suffix(".mo").read_bytes() == compiled.getvalue(), f"the .mo is stale: {REFRESH}"


def test_no_function_hides_the_catalogue_behind_a_throwaway_underscore() -> None:
    """`x, _ = f()` in a function that also calls `_("...")` breaks that call at run time."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in [tree, *[node for node in ast.walk(tree) if isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)]]:
            calls = any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "_" for node in ast.walk(scope))
            binds = [node.lineno for node in own_nodes(scope)
                     if isinstance(node, ast.Name) and node.id == "_"
                     and isinstance(node.ctx, ast.Store)]
            if not isinstance(scope, ast.Module):
                binds += [scope.lineno for arg in all_args(scope.args) if arg.arg == "_"]
            if calls and binds:
                found.append(f"{path.relative_to(ROOT)}:{binds[0]}")
    assert not found, found


def own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of a scope, without those of the functions inside it."""
    nodes, todo = [], list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        nodes.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return nodes


def all_args(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *args.kwonlyargs,
            *[a for a in (args.vararg, args.kwarg) if a is not None]]


# -- the language switch ------------------------------------------------------------------


@pytest.fixture
def chinese() -> object:
    set_language("zh_TW")
    yield
    set_language("en")


@pytest.mark.usefixtures("chinese")
def test_texts_follow_the_chosen_language() -> None:
    assert current_language() == "zh_TW"
    assert _("No events yet.") == "還沒有任何事件。"
    assert _("Bellhop will try again in {wait}.").format(wait="5 秒") \
        == "Bellhop 會在 5 秒後再試一次。"
    assert ngettext("{n} second", "{n} seconds", 1).format(n=1) == "1 秒"
    assert ngettext("{n} minute", "{n} minutes", 3).format(n=3) == "3 分鐘"
    assert _(N_("Send email")) == "寄送電子郵件"
    assert _("") == ""  # not the catalogue's header
    assert _("A text no catalogue has") == "A text no catalogue has"


@pytest.mark.usefixtures("chinese")
def test_a_context_tells_apart_two_meanings_of_one_english_word() -> None:
    assert _("Message") == "訊息"  # a chat message
    assert _(NP_("email body", "Message")) == "內文"
    assert _("Test") == "測試"
    assert _(NP_("filter condition", "Test")) == "條件"
    assert translate_to("en", NP_("email body", "Message")) == "Message"


def test_english_is_the_source_text() -> None:
    set_language("en")
    assert _("No events yet.") == "No events yet."
    assert ngettext("{n} second", "{n} seconds", 1) == "{n} second"
    assert ngettext("{n} second", "{n} seconds", 2) == "{n} seconds"
    assert translate_to("zh_TW", "No events yet.") == "還沒有任何事件。"


def test_the_system_language_is_guessed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "zh_TW.UTF-8")
    system_language.cache_clear()  # the guess is made once per process
    assert system_language() == "zh_TW"
    monkeypatch.setenv("LC_ALL", "zh_HK.UTF-8")
    system_language.cache_clear()
    assert system_language() == "zh_TW"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    system_language.cache_clear()
    assert system_language() == "en"
    system_language.cache_clear()


@pytest.fixture
def japanese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Bellhop's locale folder with a new language in it, Japanese (its .po alone)."""
    locale = locale_with_japanese(tmp_path)
    monkeypatch.setattr(i18n, "locale_dir", lambda: locale)
    forget_languages()
    yield locale
    forget_languages()


def test_a_language_is_added_by_adding_its_po(japanese: Path, tmp_path: Path) -> None:
    assert i18n.available_languages() == ("en", "ja", "zh_TW")
    assert i18n.match_language("ja_JP.UTF-8") == "ja"
    set_language("ja")
    assert _("No events yet.") == "まだイベントはありません。"
    assert i18n.data_size(5) == "5 バイト"
    assert _("Same as the system") == "Same as the system"  # not translated yet: English
    # settings.json keeps the choice; nothing is moved aside
    path = tmp_path / "settings.json"
    save_settings(path, Settings(language="ja"))
    settings, problem = load_settings(path)
    assert (settings.language, problem) == ("ja", None)
    set_language("en")


def test_a_language_bellhop_does_not_have_reads_english_or_traditional_chinese() -> None:
    assert i18n.available_languages() == ("en", "zh_TW")
    assert i18n.match_language("ja_JP") == "en"
    assert i18n.match_language("zh-Hant-HK") == "zh_TW"
    assert i18n.match_language("zh_MO.UTF-8") == "zh_TW"
    assert i18n.match_language("zh_CN.UTF-8") == "en"  # Simplified: not given Traditional
    assert i18n.match_language("C") == "en"


def test_a_language_setting_that_is_no_language_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"version": 1, "language": "../../etc"}', encoding="utf-8")
    settings, problem = load_settings(path)
    assert settings.language == "" and problem is not None  # the file is moved aside, said
