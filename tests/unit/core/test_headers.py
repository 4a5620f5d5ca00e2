"""The one rule for header lines: which characters break one, which are fine."""

from __future__ import annotations

import sys

import pytest

from bellhop.core.running.headers import LINE_BREAKS, breaks_header_line, unfit_for_header
from helpers import CONTROL_CHARACTERS, char_id


def test_line_breaks_are_exactly_where_splitlines_splits() -> None:
    splits = {chr(code) for code in range(sys.maxunicode + 1)
              if len(f"a{chr(code)}b".splitlines()) == 2}
    assert splits == LINE_BREAKS


@pytest.mark.parametrize("char", sorted(LINE_BREAKS), ids=char_id)
def test_a_line_break_anywhere_breaks_the_line(char: str) -> None:
    assert breaks_header_line(f"訂單{char}Bcc: x@example.com")
    assert unfit_for_header(f"訂單{char}")


@pytest.mark.parametrize("char", CONTROL_CHARACTERS, ids=char_id)
def test_other_control_characters_are_unfit_but_no_line_break(char: str) -> None:
    assert not breaks_header_line(f"a{char}b")
    assert unfit_for_header(f"a{char}b")


@pytest.mark.parametrize("text", ["訂單 #1001", "a\tb", "", "emoji 🛎️", "C1 \x80\x9f", "’“"])
def test_ordinary_text_and_tab_are_fine(text: str) -> None:
    assert not breaks_header_line(text)
    assert not unfit_for_header(text)
