"""tools/fill_translations.py: `make translations` fills what is still untranslated in a
language's bellhop.po from its fragments, plurals included, and keeps what is translated."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po

TOOL = Path(__file__).parents[2] / "tools" / "fill_translations.py"
PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "{n} byte"
msgid_plural "{n} bytes"
msgstr[0] ""

msgid "Retry"
msgstr ""

msgid "Save"
msgstr "儲存"
'''
FRAGMENT = '''msgid "{n} byte"
msgid_plural "{n} bytes"
msgstr[0] "{n} 位元組"

msgid "Retry"
msgstr "重試"

msgid "Save"
msgstr "存檔"
'''


def test_fragments_fill_untranslated_texts_and_plurals(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("fill_translations", TOOL)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    (tmp_path / "LC_MESSAGES").mkdir()
    (tmp_path / "fragments").mkdir()
    po = tmp_path / "LC_MESSAGES" / "bellhop.po"
    po.write_text(PO, encoding="utf-8")
    (tmp_path / "fragments" / "topic.po").write_text(FRAGMENT, encoding="utf-8")
    assert tool.fill(tmp_path) == 2
    with po.open("rb") as f:
        catalog = read_po(f)
    assert catalog.get("{n} byte").string == ("{n} 位元組",)
    assert catalog.get("Retry").string == "重試"
    assert catalog.get("Save").string == "儲存"  # a translation made in the .po stays
