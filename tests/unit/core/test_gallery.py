"""The gallery without the window: each language's own files, tabs and columns.

The Chinese cases need the compiled catalogue (`make translations`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bellhop.core.gallery.starters import STARTERS, Starter, new_rule
from bellhop.core.gallery.templates import Fill
from bellhop.core.i18n import set_language

FILL = Fill(account="office", address="shop@example.com", google="google")


def find_starter(key: str) -> Starter:
    return next(starter for starter in STARTERS if starter.key == key)


def made_in(language: str, key: str) -> dict[str, Any]:
    set_language(language)
    return new_rule(find_starter(key), key, FILL)


def destinations(raw: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(file or 'Google', tab, column names) of every step that writes rows."""
    found = []
    for step in raw["steps"]:
        if step["type"] == "append_file":
            found.append((step["path"], step["sheet"], list(step["columns"])))
        elif step["type"] == "append_sheet":
            found.append(("Google", step["sheet"], list(step["columns"])))
    return found


WRITERS = [s.key for s in STARTERS if destinations(new_rule(s, s.key, FILL))]


def test_templates_that_write_rows_are_the_ones_expected() -> None:
    assert WRITERS == ["shopify", "shopify_sheet", "surveycake", "stripe_sheet"]


@pytest.mark.parametrize("key", WRITERS)
def test_each_language_writes_its_own_file_or_tab_with_its_own_columns(key: str) -> None:
    """A file or tab holds one header row: Chinese columns never go under English ones."""
    english, chinese = destinations(made_in("en", key)), destinations(made_in("zh_TW", key))
    assert len(english) == len(chinese) > 0
    for (en_file, en_tab, en_columns), (zh_file, zh_tab, zh_columns) in zip(
            english, chinese, strict=True):
        assert (en_file, en_tab) != (zh_file, zh_tab)
        assert en_columns != zh_columns


def test_the_shopify_template_writes_orders_or_訂單() -> None:
    english = made_in("en", "shopify")["steps"][2]
    assert (english["path"], english["sheet"]) == ("~/Documents/Bellhop/orders.xlsx", "Orders")
    assert list(english["columns"]) == ["Order", "Date", "Customer", "Total"]
    chinese = made_in("zh_TW", "shopify")["steps"][2]
    assert (chinese["path"], chinese["sheet"]) == ("~/Documents/Bellhop/訂單.xlsx", "訂單")
    assert list(chinese["columns"]) == ["訂單編號", "日期", "顧客", "總金額"]
    assert [made_in("zh_TW", key)["steps"][-1]["sheet"]
            for key in ("shopify_sheet", "surveycake", "stripe_sheet")] == \
        ["訂單", "問卷回覆", "付款紀錄"]


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_the_description_names_the_file_the_rule_writes(language: str) -> None:
    path = made_in(language, "shopify")["steps"][2]["path"]
    assert Path(path).name in find_starter("shopify").blurb()
