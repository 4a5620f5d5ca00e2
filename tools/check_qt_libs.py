"""Before `make run` opens the window: are the system libraries Qt's X11 plugin needs there?

PySide6 brings Qt, but Qt's xcb platform plugin (the window on an X11 desktop) loads
libraries from the system. When one is missing, Qt stops with a message that blames
xcb-cursor0 whatever is really missing. This asks `ldd` what is not found, names the
Debian packages that have it and the one command that installs them, and runs that
command itself when it may (as root, with apt-get). Elsewhere (Windows, macOS, no
display, QT_QPA_PLATFORM=offscreen) there is nothing to check.

Exit code 0: go on and start Bellhop; 1: something is missing (the message says what).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# The libraries Qt's xcb plugin, QtGui, QtWidgets, QtNetwork and QtSvg take from the
# system, and the Debian 12 (Ubuntu 22.04+) package that has each.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libexpat.so.1": "libexpat1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
}
# The parts of Qt whose system libraries Bellhop's window needs, under PySide6/Qt.
QT_PARTS = ("plugins/platforms/libqxcb.so", "lib/libQt6XcbQpa.so.6", "lib/libQt6Widgets.so.6",
            "lib/libQt6Network.so.6", "lib/libQt6Svg.so.6")


def not_found(ldd_output: str) -> list[str]:
    """The libraries `ldd` reports as 'not found', in the order it lists them."""
    found: list[str] = []
    for line in ldd_output.splitlines():
        name, arrow, target = line.strip().partition("=>")
        if arrow and target.strip().startswith("not found"):
            library = name.strip()
            if library and library not in found:
                found.append(library)
    return found


def packages_for(libraries: Iterable[str],
                 known: Mapping[str, str] = DEBIAN_PACKAGES) -> tuple[list[str], list[str]]:
    """(Debian packages that have `libraries`, each once; the libraries of no known package)."""
    packages: list[str] = []
    unknown: list[str] = []
    for library in libraries:
        package = known.get(library)
        if package is None:
            unknown.append(library)
        elif package not in packages:
            packages.append(package)
    return packages, unknown


def needs_xcb(platform: str, environ: Mapping[str, str]) -> bool:
    """True when Qt may open its window through the X11 plugin here: Linux with an X
    display (Wayland desktops have one too), unless QT_QPA_PLATFORM names another way
    (offscreen, wayland)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen:
        return chosen == "xcb"
    return bool(environ.get("DISPLAY"))


def qt_folder() -> Path | None:
    """PySide6's Qt folder in this Python (None when PySide6 is not installed)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def run_ldd(path: Path) -> str:
    """`ldd path`'s output ('' when ldd cannot tell)."""
    try:
        done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False,
                              timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout


def missing_libraries(qt: Path, ldd: Callable[[Path], str] = run_ldd) -> list[str]:
    """The system libraries Qt's window parts need that cannot be found."""
    missing: list[str] = []
    for part in QT_PARTS:
        path = qt / part
        if path.exists():
            missing += [name for name in not_found(ldd(path)) if name not in missing]
    return missing


@dataclass(frozen=True)
class Advice:
    """What to tell the person, and the install command when there is one."""

    text: str
    command: list[str]


def advice(missing: list[str], has_apt: bool, is_root: bool) -> Advice:
    """The words and the one command that installs what is missing."""
    packages, unknown = packages_for(missing)
    lines = ["Bellhop's window needs system libraries that are missing on this computer:",
             *(f"    {name}" for name in missing), ""]
    if not has_apt or not packages:
        lines.append("Install the packages of your Linux that provide them, then run "
                     "`make run` again.")
        return Advice("\n".join(lines), [])
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if not is_root:
        command = ["sudo", *command]
    lines.append("They are in these packages; install them with:")
    lines += ["", "    " + " ".join(command), ""]
    if unknown:
        lines.append("and the packages that have " + ", ".join(unknown)
                     + " (`apt-file search NAME` finds them).")
    if not is_root:
        lines.append("then run `make run` again.")
    return Advice("\n".join(lines), command)


def install(command: list[str], run: Callable[[list[str]], int]) -> bool:
    """Run the install command; on a computer that never fetched the package lists
    ('unable to locate'), fetch them once and try again."""
    if run(command) == 0:
        return True
    return run(["apt-get", "update"]) == 0 and run(command) == 0


def run_command(argv: list[str]) -> int:
    """Run a command in this terminal (apt-get shows its progress); its exit code."""
    return subprocess.run(argv, check=False).returncode


def main(environ: Mapping[str, str] = os.environ) -> int:
    """Check, advise, install when root: the exit code for make."""
    if not needs_xcb(sys.platform, environ):
        return 0
    qt = qt_folder()
    if qt is None or shutil.which("ldd") is None:
        return 0  # Bellhop's own start says what is wrong then
    missing = missing_libraries(qt, run_ldd)
    if not missing:
        return 0
    is_root = getattr(os, "geteuid", lambda: -1)() == 0
    told = advice(missing, shutil.which("apt-get") is not None, is_root)
    print(told.text, file=sys.stderr)
    if not is_root or not told.command:
        return 1
    print("Installing them now (you are root)…", file=sys.stderr, flush=True)
    if install(told.command, run_command):
        still = missing_libraries(qt, run_ldd)
        if not still:
            return 0
        print("Still missing after the install: " + ", ".join(still), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
