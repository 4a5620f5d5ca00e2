"""Fill resources/translations/bellhop_zh_TW.ts from tools/zh_tw_messages.py.

After changing window texts:

    make translations                  # lupdate: new texts appear unfinished
    python tools/translate_zh_tw.py    # fill them in (add new ones to zh_tw_messages.py)
    make translations                  # lrelease: compile the .qm

Every message found in the dictionary is marked finished; texts that left the
sources (lupdate marks them vanished or obsolete) are dropped. The file is written
the way lupdate writes it, so running lupdate again changes nothing. Exits 1 and
lists what is missing when a message has no translation.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from zh_tw_messages import ZH_TW

ROOT = Path(__file__).resolve().parents[1]
TS_FILE = ROOT / "resources" / "translations" / "bellhop_zh_TW.ts"
GONE = ("vanished", "obsolete")


def fill(root: ET.Element, table: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """Translate every message under `root` in place; returns the (context, source) left out."""
    missing: list[tuple[str, str]] = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in list(context.iter("message")):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            if translation.get("type") in GONE:
                context.remove(message)
                continue
            text = table.get(name, {}).get(source)
            if not text:
                missing.append((name, source))
                continue
            if message.get("numerus") == "yes":
                for form in list(translation):
                    translation.remove(form)
                translation.text = None
                ET.SubElement(translation, "numerusform").text = text  # zh_TW has one form
            else:
                translation.text = text
            translation.attrib.pop("type", None)
    for context in list(root.iter("context")):
        if context.find("message") is None:
            root.remove(context)
    return missing


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


def _write_element(element: ET.Element, depth: int, out: list[str]) -> None:
    pad = "    " * depth
    attrs = "".join(f' {key}="{_escape(value)}"' for key, value in element.attrib.items())
    children = list(element)
    if element.tag == "location":
        out.append(f"{pad}<location{attrs}/>\n")
    elif not children:
        out.append(f"{pad}<{element.tag}{attrs}>{_escape(element.text or '')}</{element.tag}>\n")
    else:
        out.append(f"{pad}<{element.tag}{attrs}>\n")
        for child in children:
            _write_element(child, depth + 1, out)
        out.append(f"{pad}</{element.tag}>\n")


def to_ts_text(root: ET.Element) -> str:
    """The catalogue as lupdate writes it (four-space indents, contexts at the margin)."""
    attrs = "".join(f' {key}="{_escape(value)}"' for key, value in root.attrib.items())
    out = ['<?xml version="1.0" encoding="utf-8"?>\n', "<!DOCTYPE TS>\n", f"<TS{attrs}>\n"]
    for child in root:
        _write_element(child, 0, out)
    out.append("</TS>\n")
    return "".join(out)


def unused_entries(root: ET.Element,
                   table: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """Dictionary entries no message asks for (texts removed or renamed in the sources)."""
    present = {(c.findtext("name"), m.findtext("source"))
               for c in root.iter("context") for m in c.iter("message")}
    return [(ctx, src) for ctx, entries in table.items() for src in entries
            if (ctx, src) not in present]


def main(argv: list[str] | None = None) -> int:
    """Fill the catalogue; 0 when every message is translated."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ts", nargs="?", type=Path, default=TS_FILE)
    args = parser.parse_args(argv)
    tree = ET.parse(args.ts)
    root = tree.getroot()
    root.set("language", "zh_TW")
    missing = fill(root, ZH_TW)
    args.ts.write_text(to_ts_text(root), encoding="utf-8")
    for context, source in unused_entries(root, ZH_TW):
        print(f"note: not in the catalogue (yet): [{context}] {source!r}")
    for context, source in missing:
        print(f"missing: [{context}] {source!r}", file=sys.stderr)
    if missing:
        print(f"{len(missing)} message(s) need a translation in tools/zh_tw_messages.py",
              file=sys.stderr)
        return 1
    total = sum(1 for _ in root.iter("message"))
    print(f"{args.ts.name}: {total} messages, all translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
