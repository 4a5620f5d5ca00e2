"""Pack the one-folder bundle (dist/bellhop) as a Debian package with dpkg-deb.

/opt/bellhop holds the bundle, /usr/bin/bellhop starts it, the menu entry and
icons go where desktops look for them. Usage:
    python installers/linux/make_deb.py BUNDLE_DIR ICONS_DIR OUT_DIR VERSION
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "bellhop"
# Libraries the bundled Qt loads from the system (checked with ldd on the bundle's
# platform plugins: PyInstaller ships the rest). GL/EGL come from the graphics driver.
DEPENDS = [
    "libc6 (>= 2.28)",
    "libxcb1", "libxcb-icccm4", "libxcb-keysyms1",
    "libgl1", "libegl1", "libfontconfig1",
]
# A keychain for passwords (Secret Service) and fonts that have the Chinese characters.
RECOMMENDS = ["gnome-keyring | kwalletmanager", "fonts-noto-cjk",
              "libwayland-cursor0", "libwayland-egl1"]
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)

LAUNCHER = """#!/bin/sh
# Bellhop's launcher: the bundle lives in /opt/bellhop.
exec /opt/bellhop/bellhop "$@"
"""
# Refresh the menu and icon caches when the tools exist (they do on desktops).
POSTINST = """#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \\
        && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
"""
POSTRM = """#!/bin/sh
set -e
if [ "$1" = "remove" ] || [ "$1" = "purge" ]; then
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
fi
exit 0
"""


def control(version: str, installed_kb: int, arch: str) -> str:
    """The DEBIAN/control file."""
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        "Maintainer: Bellhop maintainers <bellhop@example.com>\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {', '.join(DEPENDS)}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: net\n"
        "Priority: optional\n"
        "Description: answers webhooks and runs errands for you\n"
        " When a shop, a form service or a chat bot says something happened,\n"
        " Bellhop sends the email, adds the spreadsheet row or calls the other\n"
        " service you asked for, on your own computer, and keeps a record.\n"
    )


def debian_arch() -> str:
    """The architecture name dpkg uses for this machine (amd64, arm64…)."""
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "amd64"


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def stage(bundle: Path, icons: Path, root: Path, version: str, arch: str) -> None:
    """Lay out the package's files under root (what dpkg-deb packs)."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / "opt" / PACKAGE, symlinks=True)
    _write(root / "usr" / "bin" / PACKAGE, LAUNCHER, 0o755)
    (root / "usr/share/applications").mkdir(parents=True)
    shutil.copy(HERE / "bellhop.desktop", root / "usr/share/applications/bellhop.desktop")
    for size in ICON_SIZES:
        target = root / f"usr/share/icons/hicolor/{size}x{size}/apps/bellhop.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(icons / f"bellhop-{size}.png", target)
    _write(root / f"usr/share/doc/{PACKAGE}/copyright",
           "Bellhop — MIT License. Bundles Python, Qt (LGPLv3) via PySide6 (LGPLv3) and\n"
           "the Python packages listed in its pyproject.toml, each under its own licence.\n")
    size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024
    _write(root / "DEBIAN" / "control", control(version, size_kb, arch))
    _write(root / "DEBIAN" / "postinst", POSTINST, 0o755)
    _write(root / "DEBIAN" / "postrm", POSTRM, 0o755)


def build_deb(bundle: Path, icons: Path, out_dir: Path, version: str, work: Path) -> Path:
    """Stage under work/deb-root and pack into out_dir; returns the .deb's path."""
    arch = debian_arch()
    root = work / "deb-root"
    stage(bundle, icons, root, version, arch)
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    # zstd: seconds; dpkg-deb's default xz takes minutes on a bundle this size.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", str(root), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(root)
    return deb


if __name__ == "__main__":
    bundle_dir, icons_dir, out, version = sys.argv[1:5]
    print(build_deb(Path(bundle_dir), Path(icons_dir), Path(out), version, Path("build")))
