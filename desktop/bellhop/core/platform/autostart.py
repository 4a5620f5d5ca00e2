"""Start Bellhop when the user logs in: one small writer per OS, off by default.

Linux (and other XDG desktops): ~/.config/autostart/bellhop.desktop, honouring
XDG_CONFIG_HOME. Windows: the value "Bellhop" under HKCU\\...\\CurrentVersion\\Run
(the same value the installer's "Start with Windows" option writes). macOS: a
LaunchAgent, ~/Library/LaunchAgents/app.bellhop.Bellhop.plist. The command started
is the bundle's executable when Bellhop runs from an installer, else the `bellhop`
script of the Python environment it runs in.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import sys
from pathlib import Path

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _

APP_ID = "app.bellhop.Bellhop"  # also the macOS bundle identifier (installers/bellhop.spec)
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Bellhop"
BACKGROUND = "--background"  # at login: straight to the tray, no window


def launch_command() -> list[str]:
    """The command that starts Bellhop (in the tray) from a login session."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: its own executable
        return [sys.executable, BACKGROUND]
    folder = Path(sys.executable).parent
    for name in ("bellhop.exe", "bellhop") if os.name == "nt" else ("bellhop",):
        script = folder / name
        if script.is_file():
            return [str(script), BACKGROUND]
    return [sys.executable, "-m", "bellhop", BACKGROUND]


# -- Linux and other XDG desktops ----------------------------------------------------------

def xdg_entry_path() -> Path:
    """$XDG_CONFIG_HOME/autostart/bellhop.desktop (~/.config when the variable is unset)."""
    config = os.environ.get("XDG_CONFIG_HOME") or ""
    base = Path(config) if Path(config).is_absolute() else Path.home() / ".config"
    return base / "autostart" / "bellhop.desktop"


def _desktop_quote(argument: str) -> str:
    # Desktop Entry spec: quote arguments with reserved characters; inside quotes,
    # escape ", `, $ and \ with a backslash.
    if argument and not any(c in argument for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def xdg_entry(command: list[str]) -> str:
    """The text of the autostart .desktop file."""
    exec_line = " ".join(_desktop_quote(part) for part in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Bellhop\n"
        "Comment=Answers webhooks and runs errands for you\n"
        "Comment[zh_TW]=接收 Webhook，替您跑腿\n"
        f"Exec={exec_line}\n"
        "Icon=bellhop\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


# -- macOS ----------------------------------------------------------------------------------

def launch_agent_path() -> Path:
    """~/Library/LaunchAgents/app.bellhop.Bellhop.plist."""
    return Path.home() / "Library" / "LaunchAgents" / f"{APP_ID}.plist"


def launch_agent(command: list[str]) -> bytes:
    """The LaunchAgent property list: run once at login, in the user's graphical session."""
    return plistlib.dumps({
        "Label": APP_ID,
        "ProgramArguments": command,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    })


# -- Windows --------------------------------------------------------------------------------

def run_value(command: list[str]) -> str:
    """The Run key's value: the command line, each part quoted as Windows expects."""
    return " ".join(f'"{part}"' if index == 0 or " " in part or not part else part
                    for index, part in enumerate(command))


def _windows_set(value: str | None) -> None:
    import winreg  # only on Windows

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                        winreg.KEY_SET_VALUE | winreg.KEY_QUERY_VALUE) as key:
        if value is not None:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, value)
            return
        with contextlib.suppress(FileNotFoundError):  # already off
            winreg.DeleteValue(key, RUN_VALUE)


def _windows_get() -> str | None:
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            return str(winreg.QueryValueEx(key, RUN_VALUE)[0])
    except OSError:
        return None


# -- one entry point ------------------------------------------------------------------------

def set_start_at_login(enabled: bool, command: list[str] | None = None,
                       system: str = sys.platform) -> None:
    """Add or remove Bellhop's login item for this user; raises BellhopError if it cannot."""
    command = command or launch_command()
    try:
        if system == "win32":
            _windows_set(run_value(command) if enabled else None)
            return
        path = launch_agent_path() if system == "darwin" else xdg_entry_path()
        if not enabled:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        data = launch_agent(command) if system == "darwin" else xdg_entry(command).encode()
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        raise BellhopError(_("Bellhop could not change what starts when you log in ({reason}). "
                             "Check that your settings folder can be written to, then try "
                             "again.").format(
            reason=exc.strerror or type(exc).__name__)) from exc


def starts_at_login(system: str = sys.platform) -> bool:
    """True when Bellhop's login item is there (whoever wrote it)."""
    if system == "win32":
        return _windows_get() is not None
    return (launch_agent_path() if system == "darwin" else xdg_entry_path()).is_file()
