"""The double-click bundle and the .deb, built for real and installed into a scratch root.

Marked `installer`: `make installer-test` (and CI, through .ci/run) runs it; `make test`
skips it because building takes a minute. The bundle is built once per session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bellhop import __version__

pytestmark = pytest.mark.installer

ROOT = Path(__file__).parents[2]
DIST = ROOT / "dist"
BUNDLE = DIST / "bellhop"
# The bundle's own keyring backend that stores nothing (the scratch root has no keychain).
NO_KEYCHAIN = "keyring.backends.null.Keyring"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def built() -> dict:
    """Build the bundle, the tar.gz and the .deb once (installers/build.py); its figures."""
    pytest.importorskip("PyInstaller", reason="pip install -e '.[installer]' (make installer)")
    if sys.platform.startswith("linux") and not shutil.which("dpkg-deb"):
        pytest.skip("dpkg-deb is not installed")
    done = subprocess.run([sys.executable, str(ROOT / "installers" / "build.py")],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads((DIST / "figures.json").read_text(encoding="utf-8"))


def app_env(home: Path) -> dict[str, str]:
    """A scratch data home, no display and a keychain that stores nothing."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", BELLHOP_HOME=str(home),
               PYTHON_KEYRING_BACKEND=NO_KEYCHAIN)
    return env


def run(program: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run a Bellhop executable with app_env; never longer than a minute."""
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=60,
                          env=app_env(home))


def test_bundle_answers_version_and_passes_selftest(built: dict, tmp_path: Path) -> None:
    exe = BUNDLE / ("bellhop.exe" if os.name == "nt" else "bellhop")
    version = run(exe, "--version", home=tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"Bellhop {__version__}"
    selftest = run(exe, "--selftest", home=tmp_path)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    report = json.loads(selftest.stdout.strip().splitlines()[-1])
    assert report["selftest"] == "ok" and report["window"] is True


def test_bundle_ships_resources_and_no_test_tools(built: dict) -> None:
    internal = BUNDLE / "_internal"
    assert (internal / "resources" / "icons" / "bellhop.svg").is_file()
    assert (internal / "resources" / "locale" / "zh_TW" / "LC_MESSAGES" / "bellhop.mo").is_file()
    assert not list((internal / "resources" / "locale").rglob("*.po"))
    # Qt's own words for its dialogs (file chooser, message box buttons).
    assert (internal / "PySide6" / "Qt" / "translations" / "qtbase_zh_TW.qm").is_file()
    assert (internal / "resources" / "samples" / "shopify_order_create.json").is_file()
    names = {p.name.lower() for p in internal.rglob("*")}
    for unwanted in ("pytest", "_pytest", "hypothesis", "aiosmtpd", "pytestqt", "keyrings",
                     "importlinter", "libqt6qml.so.6", "libqt6quick.so.6", "libqt6pdf.so.6"):
        assert not any(name == unwanted or name.startswith(unwanted + "-")
                       for name in names), unwanted
    # The only keyring backends are the system keychains (and the one that stores nothing).
    assert not list(internal.rglob("keyrings*"))
    # apprise lists its plugins on disk and reads its card templates from files.
    for plugin in ("slack.py", "discord.py", "telegram.py", "workflows.py", "line.py",
                   "custom_json.py"):
        assert (internal / "apprise" / "plugins" / plugin).is_file(), plugin
    assert (internal / "apprise" / "assets" / "themes").is_dir()


def test_bundle_meets_the_size_targets(built: dict) -> None:
    assert built["bundle_bytes"] <= 200 * MB, built
    assert built["tar_gz_bytes"] <= 80 * MB, built
    with tarfile.open(ROOT / built["artifacts"][0]) as tar:
        first = tar.next()
        assert first is not None and first.name.split("/")[0] == "bellhop"


# Libraries the bundled Qt takes from the system, and the Debian package that has each.
SYSTEM_LIBRARIES = {
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb.so.1": "libxcb1", "libGL.so.1": "libgl1", "libGLX.so.0": "libgl1",
    "libGLdispatch.so.0": "libgl1", "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    **{name: "libc6" for name in ("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0",
                                  "librt.so.1", "ld-linux-x86-64.so.2", "linux-vdso.so.1")},
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Debian packages: Linux only")
def test_deb_depends_on_what_the_bundled_qt_takes_from_the_system(built: dict) -> None:
    internal = BUNDLE / "_internal"
    qt = internal / "PySide6" / "Qt"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{qt / 'lib'}")
    outside: set[str] = set()
    for library in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6Gui.so.6",
                    *(qt / "plugins" / "xcbglintegrations").glob("*.so")):
        lines = subprocess.run(["ldd", str(library)], capture_output=True, text=True,
                               env=env, check=True).stdout.splitlines()
        for line in lines:
            name, _, target = line.strip().partition(" => ")
            name = name.split(" ")[0].rsplit("/", 1)[-1]
            if str(internal) not in target:
                outside.add(name)
    unknown = outside - set(SYSTEM_LIBRARIES)
    assert not unknown, f"add these to make_deb.DEPENDS and SYSTEM_LIBRARIES: {unknown}"
    deb = ROOT / next(a for a in built["artifacts"] if a.endswith(".deb"))
    depends = subprocess.run(["dpkg-deb", "--field", str(deb), "Depends"], capture_output=True,
                             text=True, check=True).stdout
    for name in outside:
        assert SYSTEM_LIBRARIES[name] in depends, name


@pytest.fixture
def scratch_root() -> Iterator[Path]:
    """An empty dpkg database under a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="bellhop-root-") as folder:
        root = Path(folder)
        for sub in ("var/lib/dpkg/updates", "var/lib/dpkg/info"):
            (root / sub).mkdir(parents=True)
        (root / "var/lib/dpkg/status").touch()
        yield root


def dpkg(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dpkg on the scratch root (maintainer scripts run outside a chroot, deps not checked)."""
    return subprocess.run(["dpkg", f"--root={root}", "--log=/dev/null",
                           "--force-script-chrootless", "--force-not-root", *args],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Debian packages: Linux only")
def test_deb_installs_runs_selftest_and_purges_cleanly(built: dict, scratch_root: Path,
                                                       tmp_path: Path) -> None:
    deb = ROOT / next(a for a in built["artifacts"] if a.endswith(".deb"))
    info = subprocess.run(["dpkg-deb", "--field", str(deb), "Depends", "Recommends"],
                          capture_output=True, text=True, check=True).stdout
    assert "libxcb-icccm4" in info and "gnome-keyring" in info

    installed = dpkg(scratch_root, "--force-depends", "-i", str(deb))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    app = scratch_root / "opt" / "bellhop" / "bellhop"
    launcher = scratch_root / "usr" / "bin" / "bellhop"
    menu = scratch_root / "usr" / "share" / "applications" / "bellhop.desktop"
    assert app.is_file() and os.access(launcher, os.X_OK)
    assert "Exec=/usr/bin/bellhop" in menu.read_text(encoding="utf-8")
    assert (scratch_root / "usr/share/icons/hicolor/256x256/apps/bellhop.png").is_file()
    assert "exec /opt/bellhop/bellhop" in launcher.read_text(encoding="utf-8")

    selftest = run(app, "--selftest", home=tmp_path)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr

    purged = dpkg(scratch_root, "--purge", "bellhop")
    assert purged.returncode == 0, purged.stdout + purged.stderr
    left = [p for p in scratch_root.rglob("*")
            if p.is_file() and "var/lib/dpkg" not in p.as_posix()]
    assert left == []
    assert not (scratch_root / "opt" / "bellhop").exists()
