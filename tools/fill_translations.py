"""Fill untranslated texts of each language's bellhop.po from its fragments/*.po.

Work done on several branches at once keeps its new translations in a fragment file
(resources/locale/<lang>/fragments/<topic>.po, plain msgid/msgstr pairs), so that the
branches never touch bellhop.po together; `make translations` folds them in. A fragment
whose texts are all in bellhop.po can then be deleted.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "resources" / "locale"


def _empty(string: str | tuple[str, ...]) -> bool:
    """Untranslated: a plural's strings come as a tuple of empty strings."""
    return not any(string) if isinstance(string, tuple) else not string


def fill(language_dir: Path) -> int:
    po_path = language_dir / "LC_MESSAGES" / "bellhop.po"
    fragments = sorted((language_dir / "fragments").glob("*.po"))
    if not fragments or not po_path.is_file():
        return 0
    with po_path.open("rb") as f:
        catalog = read_po(f)
    filled = 0
    for fragment in fragments:
        with fragment.open("rb") as f:
            pieces = read_po(f)
        for piece in pieces:
            if not piece.id or not piece.string:
                continue
            message = catalog.get(piece.id, piece.context)
            if message is not None and (_empty(message.string) or message.fuzzy):
                message.string = piece.string
                message.flags.discard("fuzzy")
                filled += 1
    if filled:  # `pybabel update` runs again after this and sets the usual layout
        with po_path.open("wb") as f:
            write_po(f, catalog, ignore_obsolete=True)
    return filled


def main() -> int:
    for language_dir in sorted(p for p in LOCALE.iterdir() if p.is_dir()):
        count = fill(language_dir)
        if count:
            print(f"{language_dir.name}: {count} texts filled from fragments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
