"""tools/check_qt_libs.py, run by `make run`: what Qt's X11 window lacks, in Debian packages.

The parsing and the advice on `ldd` output as a fresh Debian 12 desktop gives it (the
two libxcb packages missing), and once for real on this machine, which has them all.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_qt_libs",
                                                  ROOT / "tools" / "check_qt_libs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tool = load_tool()

# `ldd .venv/.../PySide6/Qt/plugins/platforms/libqxcb.so` on a fresh Debian 12 desktop.
FRESH_DEBIAN = """\
\tlinux-vdso.so.1 (0x00007ffc6f5e9000)
\tlibQt6XcbQpa.so.6 => /home/mei/bellhop/.venv/lib/python3.11/site-packages/PySide6/Qt/\
plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f2a1c0a2000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f2a1c01b000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f2a1c010000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f2a1c009000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2a1bfdf000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f2a1c0f3000)
"""


def test_ldd_output_gives_the_libraries_not_found_once_each() -> None:
    assert tool.not_found(FRESH_DEBIAN) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert tool.not_found("\tnot a dynamic executable\n") == []
    assert tool.not_found("") == []


def test_libraries_map_to_debian_packages_each_once() -> None:
    packages, unknown = tool.packages_for(
        ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libGLX.so.0", "libgthread-2.0.so.0",
         "libglib-2.0.so.0", "libEGL.so.1", "libfoo.so.9"])
    assert packages == ["libxcb-icccm4", "libxcb-keysyms1", "libglx0", "libglib2.0-0",
                        "libegl1"]
    assert unknown == ["libfoo.so.9"]


def test_the_packages_the_issue_names_are_all_known() -> None:
    named = {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
             "libxcb-render-util0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-shape0",
             "libxcb-randr0", "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3"}
    assert named <= set(tool.DEBIAN_PACKAGES.values())


@pytest.mark.parametrize(("platform", "environ", "check"), [
    ("linux", {"DISPLAY": ":0"}, True),
    ("linux", {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, True),
    ("linux", {"QT_QPA_PLATFORM": "xcb"}, True),
    ("linux", {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
    ("linux", {"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, False),
    ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, False),
    ("linux", {}, False),  # no display: nothing to open a window on
    ("darwin", {"DISPLAY": ":0"}, False),
    ("win32", {}, False),
])
def test_only_linux_with_an_x_display_is_checked(platform: str, environ: dict[str, str],
                                                 check: bool) -> None:
    assert tool.needs_xcb(platform, environ) is check


def test_the_advice_names_the_one_command_with_sudo_unless_root() -> None:
    missing = tool.not_found(FRESH_DEBIAN)
    user = tool.advice(missing, has_apt=True, is_root=False)
    assert user.command == ["sudo", "apt-get", "install", "-y", "--no-install-recommends",
                            "libxcb-icccm4", "libxcb-keysyms1"]
    assert "    libxcb-icccm.so.4\n    libxcb-keysyms.so.1\n" in user.text
    assert "\n    sudo apt-get install -y --no-install-recommends libxcb-icccm4 " \
           "libxcb-keysyms1\n" in user.text
    assert user.text.endswith("then run `make run` again.")
    root = tool.advice(missing, has_apt=True, is_root=True)
    assert root.command[:2] == ["apt-get", "install"] and "sudo" not in root.text
    other = tool.advice(missing, has_apt=False, is_root=False)
    assert other.command == [] and "apt-get" not in other.text
    odd = tool.advice([*missing, "libfoo.so.9"], has_apt=True, is_root=False)
    assert "the packages that have libfoo.so.9 (`apt-file search NAME` finds them)" in odd.text


def test_install_fetches_the_package_lists_once_when_the_first_try_fails() -> None:
    ran: list[list[str]] = []

    def runner(codes: list[int]) -> Callable[[list[str]], int]:
        def run(argv: list[str]) -> int:
            ran.append(argv)
            return codes.pop(0)
        return run

    assert tool.install(["apt-get", "install", "x"], runner([0]))
    assert ran == [["apt-get", "install", "x"]]
    ran.clear()
    assert tool.install(["apt-get", "install", "x"], runner([100, 0, 0]))
    assert ran == [["apt-get", "install", "x"], ["apt-get", "update"], ["apt-get", "install", "x"]]
    ran.clear()
    assert not tool.install(["apt-get", "install", "x"], runner([100, 1]))
    assert ran == [["apt-get", "install", "x"], ["apt-get", "update"]]


def test_every_window_part_of_qt_is_asked(tmp_path: Path) -> None:
    for part in tool.QT_PARTS[:2]:  # the others are not there: not asked
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part).write_bytes(b"")
    asked: list[Path] = []

    def ldd(path: Path) -> str:
        asked.append(path)
        return FRESH_DEBIAN if path.name == "libqxcb.so" else \
            "\tlibxcb-keysyms.so.1 => not found\n\tlibxcb-image.so.0 => not found\n"

    assert tool.missing_libraries(tmp_path, ldd) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                                                     "libxcb-image.so.0"]
    assert asked == [tmp_path / part for part in tool.QT_PARTS[:2]]


class FakeDebian:
    """A Qt folder whose xcb plugin lacks two libraries until 'apt-get install' ran."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch, uid: int) -> None:
        plugin = folder / tool.QT_PARTS[0]
        plugin.parent.mkdir(parents=True)
        plugin.write_bytes(b"")
        self.ran: list[list[str]] = []
        monkeypatch.setattr(tool, "qt_folder", lambda: folder)
        monkeypatch.setattr(tool, "run_ldd", self.ldd)
        monkeypatch.setattr(tool, "run_command", self.run)
        monkeypatch.setattr(tool.shutil, "which", lambda name: f"/usr/bin/{name}")
        monkeypatch.setattr(tool.os, "geteuid", lambda: uid, raising=False)

    def ldd(self, path: Path) -> str:
        installed = any(argv[:2] == ["apt-get", "install"] for argv in self.ran)
        return FRESH_DEBIAN.replace("not found", "/lib/x.so (0x1)") if installed \
            else FRESH_DEBIAN

    def run(self, argv: list[str]) -> int:
        self.ran.append(argv)
        return 0


def test_a_person_is_told_the_sudo_command_and_make_run_stops(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    debian = FakeDebian(tmp_path, monkeypatch, uid=1000)
    assert tool.main({"DISPLAY": ":0"}) == 1
    assert debian.ran == []
    told = capsys.readouterr().err
    assert told.startswith("Bellhop's window needs system libraries that are missing")
    assert "sudo apt-get install -y --no-install-recommends libxcb-icccm4 libxcb-keysyms1" \
        in told
    assert tool.main({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) == 0


def test_root_installs_them_and_make_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    debian = FakeDebian(tmp_path, monkeypatch, uid=0)
    assert tool.main({"DISPLAY": ":0"}) == 0
    assert debian.ran == [["apt-get", "install", "-y", "--no-install-recommends",
                           "libxcb-icccm4", "libxcb-keysyms1"]]
    assert "Installing them now (you are root)" in capsys.readouterr().err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's X11 plugin: Linux only")
def test_for_real_this_computer_has_what_qt_needs(tmp_path: Path) -> None:
    qt = tool.qt_folder()
    assert qt is not None and (qt / "plugins" / "platforms" / "libqxcb.so").is_file()
    assert "libxcb-icccm.so.4" in tool.run_ldd(qt / "plugins" / "platforms" / "libqxcb.so")
    assert tool.missing_libraries(qt) == []
    # The real ldd, on a plugin moved away from the Qt libraries it links to.
    moved = tmp_path / tool.QT_PARTS[0]
    moved.parent.mkdir(parents=True)
    shutil.copy(qt / tool.QT_PARTS[0], moved)
    lost = tool.missing_libraries(tmp_path)
    assert "libQt6XcbQpa.so.6" in lost and "libQt6Gui.so.6" in lost
    assert tool.packages_for(lost) == ([], lost)  # Qt's own: PySide6 brings them
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "check_qt_libs.py")],
                          env={"DISPLAY": ":0", "PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
