"""`make installer`: the bundle, then the packages this system can make, with figures.

Linux: dist/bellhop (one folder) → dist/bellhop-<v>-linux-<arch>.tar.gz →
dist/bellhop_<v>_<arch>.deb.
Windows: dist/bellhop → dist/Bellhop-<v>-setup.exe (makensis). macOS: dist/Bellhop.app →
dist/Bellhop-<v>.dmg (hdiutil). Prints one JSON line of figures (seconds, bytes) and
writes it to dist/figures.json for bench/bench_bundle.py and the README.
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUILD = ROOT / "build"
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "installers" / "linux"))

from bellhop import __version__  # noqa: E402


def folder_size(folder: Path) -> int:
    """Bytes of all files under folder (symlinks not followed)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def make_icons() -> Path:
    """PNG, .ico and .icns of the app icon under build/icons."""
    icons = BUILD / "icons"
    subprocess.run([sys.executable, str(ROOT / "installers" / "make_icons.py"), str(icons)],
                   check=True)
    return icons


def make_bundle() -> Path:
    """PyInstaller's one-folder bundle in dist/bellhop."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"),
                    str(ROOT / "installers" / "bellhop.spec")], check=True)
    return DIST / "bellhop"


def make_tarball(bundle: Path) -> Path:
    """dist/bellhop-<v>-<os>-<arch>.tar.gz holding the bellhop/ folder."""
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform,
                                                                           sys.platform)
    out = DIST / f"bellhop-{__version__}-{system}-{platform.machine().lower()}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname="bellhop")
    return out


def make_nsis(bundle: Path, makensis: str) -> Path:
    """The Windows installer, compiled from installers/windows/bellhop.nsi."""
    out = DIST / f"Bellhop-{__version__}-setup.exe"
    subprocess.run([makensis, "-V2", f"-DVERSION={__version__}", f"-DBUNDLE={bundle}",
                    f"-DICON={BUILD / 'icons' / 'bellhop.ico'}", f"-DOUTFILE={out}",
                    str(ROOT / "installers" / "windows" / "bellhop.nsi")], check=True)
    return out


def make_dmg() -> Path:
    """The macOS disk image of dist/Bellhop.app."""
    out = DIST / f"Bellhop-{__version__}.dmg"
    subprocess.run(["bash", str(ROOT / "installers" / "macos" / "make_dmg.sh"),
                    str(DIST / "Bellhop.app"), str(out)], check=True)
    return out


def main() -> int:
    """Build everything this system can build; print and save the figures."""
    figures: dict[str, object] = {"version": __version__, "platform": sys.platform}
    began = time.monotonic()
    icons = make_icons()
    bundle = make_bundle()
    figures["bundle_seconds"] = round(time.monotonic() - began, 1)
    figures["bundle_bytes"] = folder_size(bundle)
    artifacts = [make_tarball(bundle)]
    figures["tar_gz_bytes"] = artifacts[0].stat().st_size
    if sys.platform.startswith("linux") and shutil.which("dpkg-deb"):
        from make_deb import build_deb

        started = time.monotonic()
        deb = build_deb(bundle, icons, DIST, __version__, BUILD)
        figures["deb_seconds"] = round(time.monotonic() - started, 1)
        figures["deb_bytes"] = deb.stat().st_size
        artifacts.append(deb)
    makensis = shutil.which("makensis")
    if sys.platform == "win32" and makensis:
        artifacts.append(make_nsis(bundle, makensis))
    if sys.platform == "darwin" and shutil.which("hdiutil"):
        artifacts.append(make_dmg())
    figures["total_seconds"] = round(time.monotonic() - began, 1)
    figures["artifacts"] = [str(p.relative_to(ROOT)) for p in artifacts]
    (DIST / "figures.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
