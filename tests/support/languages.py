"""A language Bellhop does not ship, Japanese, added the way a translator adds one: its .po
in a locale folder, compiled by pybabel as `make translations` does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bellhop.core import i18n

LOCALE = Path(__file__).parents[2] / "resources" / "locale"

JAPANESE_PO = '''msgid ""
msgstr ""
"Language: ja\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "No events yet."
msgstr "まだイベントはありません。"

msgid "{n} byte"
msgid_plural "{n} bytes"
msgstr[0] "{n} バイト"
'''


def locale_with_japanese(folder: Path) -> Path:
    """`folder`/locale holding the shipped Chinese catalogue and a new Japanese .po, compiled."""
    locale = folder / "locale"
    (locale / "zh_TW" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(LOCALE / "zh_TW" / "LC_MESSAGES" / "bellhop.mo", locale / "zh_TW" / "LC_MESSAGES")
    po = locale / "ja" / "LC_MESSAGES" / "bellhop.po"
    po.parent.mkdir(parents=True)
    po.write_text(JAPANESE_PO, encoding="utf-8")
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "compile",
                    "-d", str(locale), "-D", "bellhop"], check=True, capture_output=True)
    return locale


def forget_languages() -> None:
    """The languages and catalogues found so far are read again from the locale folder."""
    for cached in (i18n.available_languages, i18n.match_language, i18n.catalogue,
                   i18n.system_language):
        cached.cache_clear()
