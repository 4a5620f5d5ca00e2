"""A real X screen for end-to-end tests: Xvfb, a system tray (trayer), and what a person does.

Everything here drives real programs: Xvfb draws, trayer is the panel that holds
tray icons, xdotool finds windows and clicks, and closing a window sends the same
WM_DELETE_WINDOW message a window manager's close button sends.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

TOOLS = ("Xvfb", "trayer", "xdotool")
INSTALL = "apt-get install -y xvfb trayer xdotool libxcb-icccm4 libxcb-keysyms1"


def missing_tools() -> list[str]:
    """The programs of TOOLS this machine lacks (and libX11 for closing windows)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if ctypes.util.find_library("X11") is None:
        missing.append("libX11")
    return missing


@dataclass(frozen=True)
class Window:
    """A mapped X window: its id and where it is on the screen."""

    id: int
    x: int
    y: int
    width: int
    height: int

    @property
    def center(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


class Screen:
    """One Xvfb display with a tray panel along its bottom edge."""

    def __init__(self, display: str, procs: list[subprocess.Popen[bytes]]) -> None:
        self.display = display
        self._procs = procs

    def env(self) -> dict[str, str]:
        """What a Qt program needs to open its windows on this screen."""
        return {"DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=20,
                              env={**os.environ, "DISPLAY": self.display}, check=False)
        return done.stdout

    def visible_windows(self, pid: int) -> list[Window]:
        """The windows of process `pid` that are mapped (shown) right now."""
        windows = []
        for line in self.xdotool("search", "--onlyvisible", "--pid", str(pid)).split():
            geometry = self.xdotool("getwindowgeometry", line)
            place = re.search(r"Position: (-?\d+),(-?\d+)", geometry)
            size = re.search(r"Geometry: (\d+)x(\d+)", geometry)
            if place and size:
                windows.append(Window(int(line), int(place[1]), int(place[2]),
                                      int(size[1]), int(size[2])))
        return windows

    def click(self, x: int, y: int, button: int = 1) -> None:
        """Move the pointer to (x, y) and click there."""
        self.xdotool("mousemove", "--sync", str(x), str(y), "click", str(button))

    def close_window(self, window: Window) -> None:
        """Ask a window to close, as a window manager's close button does."""
        _send_delete(self.display, window.id)

    def stop(self) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5)
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)


@contextlib.contextmanager
def screen_with_tray(timeout: float = 60.0) -> Iterator[Screen]:
    """Start Xvfb on a free display and trayer on it; stop both afterwards.

    `timeout` only guards against a hang: on a busy machine trayer's panel once took
    longer than 15 s to show."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24",
                             "-nolisten", "tcp"], pass_fds=(write,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    procs = [xvfb]
    screen: Screen | None = None
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()  # Xvfb writes it once the display is up
        if not number.isdigit():
            raise AssertionError("Xvfb did not start")
        screen = Screen(f":{number}", procs)
        procs.append(subprocess.Popen(
            ["trayer", "--SetDockType", "true", "--edge", "bottom", "--align", "left"],
            env={**os.environ, "DISPLAY": screen.display},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + timeout
        while not screen.visible_windows(procs[1].pid):  # the panel is up
            if time.monotonic() > deadline:
                raise AssertionError("trayer's panel never appeared")
            time.sleep(0.1)
        yield screen
    finally:
        if screen is not None:
            screen.stop()
        else:
            for proc in procs:
                proc.kill()
                proc.wait(5)


# -- WM_DELETE_WINDOW through libX11 -------------------------------------------------------


class _ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class _Event(ctypes.Union):
    _fields_ = [("client", _ClientMessage), ("pad", ctypes.c_long * 24)]


CLIENT_MESSAGE = 33
CURRENT_TIME = 0


def _send_delete(display: str, window: int) -> None:
    xlib = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                                ctypes.POINTER(_Event)]
    xlib.XFlush.argtypes = [ctypes.c_void_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    handle = xlib.XOpenDisplay(display.encode())
    if not handle:
        raise AssertionError(f"cannot open display {display}")
    try:
        event = _Event()
        event.client.type = CLIENT_MESSAGE
        event.client.window = window
        event.client.message_type = xlib.XInternAtom(handle, b"WM_PROTOCOLS", False)
        event.client.format = 32
        event.client.data[0] = xlib.XInternAtom(handle, b"WM_DELETE_WINDOW", False)
        event.client.data[1] = CURRENT_TIME
        xlib.XSendEvent(handle, window, False, 0, ctypes.byref(event))
        xlib.XFlush(handle)
    finally:
        xlib.XCloseDisplay(handle)
