"""Render the app icon (resources/icons/bellhop.svg) as PNG, .ico and .icns for the installers.

Qt draws the SVG (PySide6 is already a dependency); Pillow writes the Windows and
macOS containers. Usage: python installers/make_icons.py OUT_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "bellhop.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512, 1024)


def render_pngs(out: Path) -> dict[int, Path]:
    """bellhop-<size>.png for every size, drawn by Qt's SVG renderer."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    pngs = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        pngs[size] = out / f"bellhop-{size}.png"
        image.save(str(pngs[size]))
    return pngs


def main(out_dir: str) -> int:
    """Write the PNGs, bellhop.png (256 px), bellhop.ico and bellhop.icns into out_dir."""
    from PIL import Image

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pngs = render_pngs(out)
    big = Image.open(pngs[1024])
    Image.open(pngs[256]).save(out / "bellhop.png")
    big.save(out / "bellhop.ico", sizes=[(s, s) for s in (16, 32, 48, 64, 128, 256)])
    big.save(out / "bellhop.icns")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/icons"))
