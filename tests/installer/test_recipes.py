"""The installer recipes agree with the app (quick: run by `make test`, nothing is built)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

from bellhop.core.platform import autostart

ROOT = Path(__file__).parents[2]
INSTALLERS = ROOT / "installers"


def spec_list(name: str) -> list[str]:
    """A top-level list of strings assigned in installers/bellhop.spec."""
    tree = ast.parse((INSTALLERS / "bellhop.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name:
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{name} not in the spec")


def test_spec_ships_no_test_tools_and_no_file_keyring() -> None:
    excluded = set(spec_list("EXCLUDES"))
    assert {"pytest", "hypothesis", "aiosmtpd", "pytestqt", "keyrings", "keyrings.alt"} <= excluded


def test_macos_app_is_a_normal_app_with_the_login_items_identifier() -> None:
    spec = (INSTALLERS / "bellhop.spec").read_text(encoding="utf-8")
    assert '"LSUIElement": False' in spec
    identifier = re.search(r'bundle_identifier="([^"]+)"', spec)
    assert identifier and identifier.group(1) == autostart.APP_ID


def test_windows_installer_writes_the_same_run_value_as_the_setting() -> None:
    nsi = (INSTALLERS / "windows" / "bellhop.nsi").read_text(encoding="utf-8")
    assert f'!define RUN_KEY "{autostart.RUN_KEY}"' in nsi
    assert '"${APP}"' in nsi and '!define APP "Bellhop"' in nsi and autostart.RUN_VALUE == "Bellhop"
    assert f'{autostart.BACKGROUND}\'' in nsi


def test_ci_workflow_builds_on_three_systems_and_self_tests() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "installers.yml").read_text())
    job = workflow["jobs"]["build"]
    systems = job["strategy"]["matrix"]["os"]
    assert {s.split("-")[0] for s in systems} == {"ubuntu", "windows", "macos"}
    commands = " ".join(step.get("run", "") for step in job["steps"])
    assert commands.count("--selftest") >= 2 and "-m installer" in commands


def test_menu_entry_starts_the_launcher() -> None:
    entry = (INSTALLERS / "linux" / "bellhop.desktop").read_text(encoding="utf-8")
    assert "Exec=/usr/bin/bellhop\n" in entry and "Icon=bellhop\n" in entry
