"""Start at login: the XDG entry for real (temporary XDG_CONFIG_HOME), the others' contents."""

from __future__ import annotations

import configparser
import plistlib
import sys
from pathlib import Path

import pytest

from bellhop.core.errors import BellhopError
from bellhop.core.platform import autostart
from bellhop.service import Bellhop


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_xdg_entry_honours_xdg_config_home(login_items: Path) -> None:
    assert autostart.xdg_entry_path() == login_items / "autostart" / "bellhop.desktop"


def test_xdg_entry_falls_back_to_dot_config(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.xdg_entry_path() == tmp_path / ".config" / "autostart" / "bellhop.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")  # the spec says: absolute only
    assert autostart.xdg_entry_path() == tmp_path / ".config" / "autostart" / "bellhop.desktop"


def test_on_writes_the_entry_with_this_environments_bellhop_off_removes_it(
        login_items: Path) -> None:
    path = login_items / "autostart" / "bellhop.desktop"
    autostart.set_start_at_login(True, system="linux")
    entry = read_entry(path)
    script = Path(sys.executable).with_name("bellhop")  # the venv's `bellhop` command
    assert script.is_file()
    assert entry["Exec"] == f"{script} --background"  # at login: to the tray, no window
    assert entry["Type"] == "Application" and entry["Name"] == "Bellhop"
    assert autostart.starts_at_login("linux")
    autostart.set_start_at_login(False, system="linux")
    assert not path.exists() and not autostart.starts_at_login("linux")
    autostart.set_start_at_login(False, system="linux")  # already off: nothing to do


def test_from_a_bundle_the_entry_starts_the_bundle(login_items: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/bellhop/bellhop")
    assert autostart.launch_command() == ["/opt/bellhop/bellhop", "--background"]
    autostart.set_start_at_login(True, system="linux")
    assert read_entry(login_items / "autostart" / "bellhop.desktop")["Exec"] == \
        "/opt/bellhop/bellhop --background"


def test_exec_quotes_paths_with_spaces_and_specials() -> None:
    text = autostart.xdg_entry(["/home/a b/venv/bin/python", "-m", "bellhop", 'say "$x"'])
    assert 'Exec="/home/a b/venv/bin/python" -m bellhop "say \\"\\$x\\""\n' in text


def test_without_a_bellhop_script_python_runs_the_module(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))
    assert autostart.launch_command() == [str(tmp_path / "python3"), "-m", "bellhop",
                                          "--background"]


def test_launch_agent_plist_runs_bellhop_at_login(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    app = "/Applications/Bellhop.app/Contents/MacOS/bellhop"
    plist = plistlib.loads(autostart.launch_agent([app]))
    assert plist == {"Label": "app.bellhop.Bellhop", "ProgramArguments": [app],
                     "RunAtLoad": True, "ProcessType": "Interactive",
                     "LimitLoadToSessionType": "Aqua"}
    monkeypatch.setenv("HOME", str(tmp_path))  # the writer itself, into a fake home
    autostart.set_start_at_login(True, [app], system="darwin")
    path = tmp_path / "Library" / "LaunchAgents" / "app.bellhop.Bellhop.plist"
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == [app]
    autostart.set_start_at_login(False, [app], system="darwin")
    assert not path.exists()


def test_windows_run_value_quotes_the_program() -> None:
    exe = r"C:\Users\Mei Lin\AppData\Local\Programs\Bellhop\bellhop.exe"
    assert autostart.run_value([exe]) == f'"{exe}"'
    assert autostart.run_value([r"C:\Py\python.exe", "-m", "bellhop"]) == \
        r'"C:\Py\python.exe" -m bellhop'
    assert autostart.RUN_KEY == r"Software\Microsoft\Windows\CurrentVersion\Run"


def test_windows_writer_is_called_with_the_run_value(monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[str | None] = []
    monkeypatch.setattr(autostart, "_windows_set", written.append)
    autostart.set_start_at_login(True, [r"C:\B\bellhop.exe"], system="win32")
    autostart.set_start_at_login(False, [r"C:\B\bellhop.exe"], system="win32")
    assert written == [r'"C:\B\bellhop.exe"', None]


def test_a_folder_that_cannot_be_written_gives_plain_words(login_items: Path) -> None:
    (login_items / "autostart").write_text("a file where the folder should be")
    with pytest.raises(BellhopError) as caught:
        autostart.set_start_at_login(True, system="linux")
    assert "log in" in caught.value.message and "try again" in caught.value.message


def test_the_setting_writes_the_login_item_through_the_service(
        home: Path, login_items: Path) -> None:
    service = Bellhop(home)
    assert service.settings.start_at_login is False  # off by default
    path = login_items / "autostart" / "bellhop.desktop"
    service.update_settings(start_at_login=True)
    assert path.is_file() and service.settings.start_at_login is True
    service.update_settings(start_at_login=False)
    assert not path.exists()
    (login_items / "autostart").rmdir()
    (login_items / "autostart").write_text("blocked")
    with pytest.raises(BellhopError):
        service.update_settings(start_at_login=True)
    assert service.settings.start_at_login is False  # not saved as on when it failed


async def test_the_service_reports_the_login_item_that_is_really_there(
        home: Path, login_items: Path) -> None:
    service = Bellhop(home)
    service.update_settings(start_at_login=True)  # settings.json says on…
    (login_items / "autostart" / "bellhop.desktop").unlink()  # …removed in the desktop's settings
    await service.start(port=0)
    try:
        assert service.settings.start_at_login is False
    finally:
        await service.stop()
    autostart.set_start_at_login(True, system="linux")  # e.g. the Windows installer's option
    again = Bellhop(home)
    await again.start(port=0)
    try:
        assert again.settings.start_at_login is True
    finally:
        await again.stop()
