"""The Windows installer script compiles (makensis, here against a stand-in bundle).

A Windows bundle can only be built on Windows; this proves the .nsi is valid, has the
shortcuts, the optional desktop shortcut and start-with-Windows, and an uninstaller that
removes what the installer wrote.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.installer

ROOT = Path(__file__).parents[2]
NSI = ROOT / "installers" / "windows" / "bellhop.nsi"


def test_nsis_script_compiles_against_a_bundle_layout(tmp_path: Path) -> None:
    makensis = shutil.which("makensis")
    if not makensis:
        pytest.skip("makensis is not installed (apt-get install nsis)")
    bundle = tmp_path / "bellhop"
    (bundle / "_internal" / "resources" / "locale" / "zh_TW" / "LC_MESSAGES").mkdir(parents=True)
    (bundle / "bellhop.exe").write_bytes(b"MZ stand-in")
    (bundle / "_internal" / "python311.dll").write_bytes(b"stand-in")
    (bundle / "_internal" / "resources" / "locale" / "zh_TW" / "LC_MESSAGES" / "bellhop.mo"
     ).write_bytes(b"stand-in")
    icons = tmp_path / "icons"
    subprocess.run([sys.executable, str(ROOT / "installers" / "make_icons.py"), str(icons)],
                   check=True, timeout=120)
    out = tmp_path / "Bellhop-setup.exe"
    done = subprocess.run(
        [makensis, "-V4", "-WX", "-DVERSION=1.2.3", f"-DBUNDLE={bundle}",
         f"-DICON={icons / 'bellhop.ico'}", f"-DOUTFILE={out}", str(NSI)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    assert out.read_bytes()[:2] == b"MZ" and out.stat().st_size > 50_000
    log = done.stdout
    for packed in ('File: "bellhop.exe"', 'File: "python311.dll"', 'File: "bellhop.mo"'):
        assert packed in log, packed
    assert 'CreateShortcut: "$SMPROGRAMS\\Bellhop\\Bellhop.lnk"' in log
    assert 'CreateShortcut: "$DESKTOP\\Bellhop.lnk"' in log
    assert "CurrentVersion\\Run\\Bellhop" in log  # start with Windows (optional section)
    assert "WriteUninstaller" in log
    uninstall = log[log.index('Section: "Uninstall"'):]
    assert "DeleteRegValue: HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Bellhop" \
        in uninstall
    assert 'Delete: "$DESKTOP\\Bellhop.lnk"' in uninstall
