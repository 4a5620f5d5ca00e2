"""The Qt-free core really is Qt-free; modules past about 400 lines are pointed out."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "desktop" / "bellhop"


def test_serving_never_loads_qt() -> None:
    code = ("import sys, bellhop.service, bellhop.cli, bellhop.actions.registry as r; "
            "r.default_registry(); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_core_and_actions_do_not_mention_qt() -> None:
    for folder in ("core", "actions"):
        for path in (PACKAGE / folder).rglob("*.py"):
            assert "PySide6" not in path.read_text(encoding="utf-8"), path


def test_long_modules_are_pointed_out() -> None:
    # A hint, not a rule (CONVENTIONS.md 9): past about 400 lines, look for a second idea;
    # never cut one idea in two to pass a number.
    big = {p.name: n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    if big:
        warnings.warn(f"long modules, is there a second idea in them? {big}", stacklevel=1)
