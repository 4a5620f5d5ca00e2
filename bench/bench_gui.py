"""The window's figures: cold start to tray ready, and idle RSS with the window open.

Each is measured side by side with a bare PySide6 window + tray (bench/bare_qt.py)
spawned the same way, and printed as a ratio. Offscreen Qt unless a display is set.

    .venv/bin/python bench/bench_gui.py [--reps 5] [--idle 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).parent
sys.path.insert(0, str(BENCH))

from procs import tree_rss_kib  # noqa: E402

READY = "bellhop-ready"


def spawn(command: list[str], home: Path) -> tuple[subprocess.Popen[str], float]:
    """Start a GUI process; returns it and the seconds until it printed READY."""
    env = dict(os.environ, BELLHOP_HOME=str(home), BELLHOP_REPORT_READY="1",
               QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    began = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == READY:
            return proc, time.perf_counter() - began
    raise RuntimeError(f"{command[0]} exited before it was ready")


def stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM, then SIGKILL if it lingers."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(command: list[str], reps: int, idle: float) -> tuple[float, float]:
    """Median seconds to ready over `reps` fresh starts, and RSS (MB) after `idle` s."""
    starts, rss = [], []
    for _ in range(reps):
        with tempfile.TemporaryDirectory(prefix="bellhop-bench-gui-") as folder:
            proc, seconds = spawn(command, Path(folder))
            starts.append(seconds)
            time.sleep(idle)
            rss.append(tree_rss_kib(proc.pid)[0] / 1024)
            stop(proc)
    return statistics.median(starts), statistics.median(rss)


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--idle", type=float, default=3.0)
    args = parser.parse_args(argv)
    bare = [sys.executable, str(BENCH / "bare_qt.py")]
    bellhop = [sys.executable, "-m", "bellhop"]
    base_start, base_rss = measure(bare, args.reps, args.idle)
    ours_start, ours_rss = measure(bellhop, args.reps, args.idle)
    print("Window (offscreen Qt)      bare PySide6   Bellhop   ratio  target")
    print(f"  cold start to tray ready  {base_start:8.3f} s  {ours_start:6.3f} s  "
          f"{ours_start / base_start:5.2f}  ≤ 2.0 s  {'PASS' if ours_start <= 2.0 else 'MISS'}")
    print(f"  idle RSS, window open     {base_rss:7.1f} MB  {ours_rss:5.1f} MB  "
          f"{ours_rss / base_rss:5.2f}  ≤ 150 MB {'PASS' if ours_rss <= 150 else 'MISS'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
