"""`make mutants`: mutation testing of the modules that keep Bellhop's promises.

mutmut puts small bugs into a module, one at a time (`>` made `>=`, a string
emptied, a call dropped), runs the tests that reach the changed function, and
counts the bugs no test noticed ("survived"). Run it before a change to one of
these modules lands; it takes minutes, so it is not part of `make test`.

mutmut 3 looks for the code under ./, src/ or source/; Bellhop's is in desktop/.
So this builds build/mutants/ with `src`, `tests` and `resources` linked to the real folders
and a pyproject.toml that says what to mutate, runs `mutmut run` there, and
prints each module's score. `python tools/mutants.py --module core/verify.py`
runs one module; survivors are listed with `--survivors`; each run starts afresh
(mutmut does not notice changed tests; `--keep` reuses results), and
`cd build/mutants && ../../.venv/bin/mutmut show NAME` shows one.
Scores and the survivors left on purpose are in docs/testing.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutants"  # --work: another folder (two runs at once need two)
MUTMUT = Path(sys.executable).with_name("mutmut")

# The modules that keep a promise, and the tests that guard them.
MODULES: dict[str, list[str]] = {
    "core/inbox/verify.py": ["tests/unit/core/test_verify.py", "tests/unit/core/test_trust.py"],
    "actions/filter.py": ["tests/unit/actions/test_filter.py"],
    "core/inbox/dedupe.py": ["tests/unit/core/test_dedupe.py", "tests/unit/core/test_receiver.py"],
    "core/storage/store.py": ["tests/unit/core/test_store.py", "tests/unit/core/test_durability.py",
                      "tests/unit/core/test_answer_first.py"],
    "core/templating/__init__.py": ["tests/unit/core/test_templating.py",
                           "tests/unit/core/test_template_bounds.py"],
    "core/templating/sandbox.py": ["tests/unit/core/test_templating.py",
                                 "tests/unit/core/test_template_bounds.py"],
    "core/running/headers.py": ["tests/unit/core/test_headers.py",
                        "tests/unit/actions/test_send_email.py"],
    "actions/send_email.py": ["tests/unit/actions/test_send_email.py"],
}
STATUS = re.compile(r"^\s*bellhop\.(?P<module>[\w.]+?)\.x[_ǁ].*: (?P<status>.+)$")


def prepare(modules: list[str]) -> None:
    """build/mutants/: src and tests linked, a pyproject.toml with the mutmut settings."""
    WORK.mkdir(parents=True, exist_ok=True)
    if not (WORK / ".gitignore").exists():
        (WORK / ".gitignore").write_text("*\n", encoding="utf-8")
    for name, target in (("src", ROOT / "desktop"), ("tests", ROOT / "tests"),
                         ("resources", ROOT / "resources")):
        link = WORK / name
        if not link.is_symlink():
            if link.exists():
                shutil.rmtree(link)
            link.symlink_to(target, target_is_directory=True)
    tests = sorted({test for module in modules for test in MODULES[module]
                    if (ROOT / test).exists()})
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    settings = tomllib.loads(project)["tool"]["pytest"]["ini_options"]
    lines = ["[tool.pytest.ini_options]"]
    for key, value in settings.items():
        if key != "testpaths":
            lines.append(f"{key} = {_toml(value)}")
    lines += ["", "[tool.mutmut]", 'source_paths = ["src/bellhop"]',
              f"only_mutate = {_toml([f'src/bellhop/{m}' for m in modules])}",
              f"pytest_add_cli_args_test_selection = {_toml(tests)}",
              'also_copy = ["resources"]',
              'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:randomly"]',
              'do_not_mutate_patterns = ["log\\\\.(debug|info|warning|error|exception)\\\\("]']
    (WORK / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _toml(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


def scores() -> dict[str, Counter[str]]:
    """Per module: how many mutants were killed, survived, had no test, timed out…"""
    out = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=WORK,
                         capture_output=True, text=True, check=False).stdout
    found: dict[str, Counter[str]] = {}
    for line in out.splitlines():
        match = STATUS.match(line)
        if match:
            found.setdefault(match["module"], Counter())[match["status"]] += 1
    return found


def main(argv: list[str] | None = None) -> int:
    global WORK
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES),
                        help="only this module (again for more)")
    parser.add_argument("--survivors", action="store_true", help="list the survivors")
    # mutmut 3.8 does not notice changed tests: it keeps old results and old test lists.
    parser.add_argument("--keep", action="store_true",
                        help="reuse earlier results (only when no test changed)")
    parser.add_argument("--work", type=Path, default=WORK, help="the working folder")
    args = parser.parse_args(argv)
    WORK = args.work.resolve()
    modules = args.module or list(MODULES)
    if not args.keep and (WORK / "mutants").exists():
        shutil.rmtree(WORK / "mutants")
    prepare(modules)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([str(MUTMUT), "run", "--max-children", str(os.cpu_count() or 2)],
                   cwd=WORK, env=env, check=False)
    found = scores()
    print(f"\n{'module':<24} {'killed':>7} {'survived':>9} {'no test':>8} {'other':>6} "
          f"{'score':>6}")
    for module, counts in sorted(found.items()):
        total = sum(counts.values())
        killed = counts["killed"]
        other = total - killed - counts["survived"] - counts["no tests"]
        print(f"{module:<24} {killed:>7} {counts['survived']:>9} {counts['no tests']:>8} "
              f"{other:>6} {killed / total:>6.1%}")
    if args.survivors:
        out = subprocess.run([str(MUTMUT), "results"], cwd=WORK, capture_output=True,
                             text=True, check=False).stdout
        print("\n" + out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
