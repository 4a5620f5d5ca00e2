"""The double-click bundle's figures: build time, size, and start-up next to the venv.

Reads the build figures from dist/figures.json (`make installer` writes them; `--build`
runs it first), then times `bellhop --version` and `bellhop --selftest` from the bundle
(dist/bellhop) and from the development venv (.venv/bin/bellhop), alternating, each a
fresh process, offscreen, in a scratch data home. Prints the first (coldest) run and the
median of the rest, and the bundle/venv ratio.

    .venv/bin/python bench/bench_bundle.py [--build] [--reps 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "bellhop" / ("bellhop.exe" if os.name == "nt" else "bellhop")
VENV = Path(sys.executable).with_name("bellhop.exe" if os.name == "nt" else "bellhop")
MB = 1024 * 1024


def timed(command: list[str], home: Path) -> float:
    """Seconds from spawn to exit; the command must succeed."""
    env = dict(os.environ, BELLHOP_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    began = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)
    return time.perf_counter() - began


def measure(args: list[str], reps: int) -> dict[str, list[float]]:
    """Alternate bundle and venv runs of `bellhop <args>`; seconds of each run."""
    runs: dict[str, list[float]] = {"bundle": [], "venv": []}
    with tempfile.TemporaryDirectory(prefix="bellhop-bench-") as folder:
        for _ in range(reps):
            runs["bundle"].append(timed([str(BUNDLE), *args], Path(folder)))
            runs["venv"].append(timed([str(VENV), *args], Path(folder)))
    return runs


def main() -> int:
    """Print the figures as a table and as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="run installers/build.py first")
    parser.add_argument("--reps", type=int, default=7)
    options = parser.parse_args()
    if options.build:
        subprocess.run([sys.executable, str(ROOT / "installers" / "build.py")], check=True)
    figures = json.loads((ROOT / "dist" / "figures.json").read_text(encoding="utf-8"))
    print(f"build: bundle {figures['bundle_seconds']} s, everything "
          f"{figures['total_seconds']} s")
    print(f"size: unpacked {figures['bundle_bytes'] / MB:.0f} MB, "
          f".tar.gz {figures['tar_gz_bytes'] / MB:.0f} MB"
          + (f", .deb {figures['deb_bytes'] / MB:.0f} MB" if "deb_bytes" in figures else ""))
    result: dict[str, object] = {"build": figures}
    for label, args in (("--version", ["--version"]), ("--selftest", ["--selftest"])):
        runs = measure(args, options.reps)
        first = {k: v[0] for k, v in runs.items()}
        median = {k: statistics.median(v[1:]) for k, v in runs.items()}
        ratio = median["bundle"] / median["venv"]
        print(f"{label:11} first run: bundle {first['bundle']:.3f} s, venv "
              f"{first['venv']:.3f} s | median of {options.reps - 1}: bundle "
              f"{median['bundle']:.3f} s, venv {median['venv']:.3f} s, ratio {ratio:.2f}")
        result[label] = {"first": first, "median": median, "ratio": round(ratio, 2)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
