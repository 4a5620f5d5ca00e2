"""Two versions of `bellhop serve` side by side: is a change to the receiver worth keeping?

`--rounds 0 --starts 10` compares start time and idle RSS alone. `--window` loads the
window process instead (offscreen Qt, the engine on its thread, the window open), with
the round's peak RSS beside the answers.

`--rev REV` checks REV out in a scratch git worktree and runs it against this tree
(or `--a DIR` for any checkout). Each round starts both afresh, in alternating
order, pinned to CPU 0 with wrk on CPU 1 as in run_all.py, and loads each for a
few seconds; the report is the median of the per-round ratios, of answers a second
and of CPU time per answer. A shared machine drifts by tens of percent within a
minute, so many short rounds say more than a few long ones.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from loadgen import run_wrk, write_wrk_script
from payload import BENCH_TOKEN, order_body, write_home
from procs import (
    Server,
    ServerSpec,
    can_pin,
    compile_tree,
    cpu_seconds,
    post_once,
    serve_argv,
    tree_rss_kib,
)
from run_all import LOAD_CPU, REPO, SERVER_CPU


def serve_spec(label: str, desktop: Path) -> ServerSpec:
    """`bellhop serve` with the package imported from `desktop` (a checkout's desktop/)."""
    boot = (f"import sys; sys.path.insert(0, {str(desktop)!r}); "
            "from bellhop.cli import main; sys.exit(main())")

    def make_home(home: Path) -> Path:
        write_home(home)
        return home

    return ServerSpec(
        label=label,
        argv=lambda port: serve_argv(port, command=[sys.executable, "-c", boot]),
        need_200=True,
        make_home=make_home,
    )


def window_spec(label: str, desktop: Path) -> ServerSpec:
    """The window process (`bellhop` with no command) from `desktop`, offscreen, its
    receiver on the port the bench chose (written to settings.json, tunnel off)."""
    boot = (f"import sys; sys.path.insert(0, {str(desktop)!r}); "
            "from bellhop.cli import main; sys.exit(main())")
    ports: list[int] = []

    def argv(port: int) -> list[str]:
        ports.append(port)
        return [sys.executable, "-c", boot]

    def make_home(home: Path) -> Path:
        write_home(home)
        settings = {"version": 1, "port": ports[-1], "tunnel": "none", "welcome_seen": True}
        (home / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        return home

    return ServerSpec(label=label, argv=argv, need_200=True, make_home=make_home,
                      extra_env={"QT_QPA_PLATFORM": "offscreen"})


def one_round(spec: ServerSpec, workdir: Path, script: Path, seconds: int) -> dict[str, float]:
    """Start a server, warm it for a second, load it for `seconds`; what it did."""
    with Server(spec, workdir, SERVER_CPU, REPO) as srv:
        srv.wait_ready()
        post_once(srv.port, f"/hooks/{BENCH_TOKEN}", order_body())
        url = f"{srv.url_base}/hooks/{BENCH_TOKEN}"
        run_wrk(url, script, 32, 1, LOAD_CPU)
        assert srv.proc is not None
        cpu0, wall0 = cpu_seconds(srv.proc.pid), time.perf_counter()
        peak = PeakRss(srv.proc.pid)
        with peak:
            result = run_wrk(url, script, 32, seconds, LOAD_CPU)
        cpu1, wall1 = cpu_seconds(srv.proc.pid), time.perf_counter()
    if result.errors:
        raise SystemExit(f"{spec.label}: {result.non_2xx} non-2xx, "
                         f"{result.socket_errors} socket errors")
    return {"rps": result.rps, "p99_ms": result.p99_ms, "busy": (cpu1 - cpu0) / (wall1 - wall0),
            "cpu_us": (cpu1 - cpu0) / max(1, result.requests) * 1e6, "peak_mb": peak.mb}


class PeakRss:
    """The largest RSS (MB, with children) of a process tree, sampled every 50 ms
    while the block runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            with contextlib.suppress(OSError):
                self.mb = max(self.mb, tree_rss_kib(self.pid)[0] / 1024)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


@contextlib.contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """REV checked out in a scratch directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bellhop-ab-") as tmp:
        path = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet",
                        str(path), rev], check=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force",
                            str(path)], check=False)


def compare(a: ServerSpec, b: ServerSpec, rounds: int, seconds: int) -> None:
    ratios: list[float] = []
    cpu_ratios: list[float] = []
    peak_ratios: list[float] = []
    p99s: dict[str, list[float]] = {a.label: [], b.label: []}
    with tempfile.TemporaryDirectory(prefix="bellhop-ab-run-") as tmp:
        script = write_wrk_script(Path(tmp), order_body())
        for n in range(rounds):
            order = (a, b) if n % 2 == 0 else (b, a)
            got = {spec.label: one_round(spec, Path(tmp) / f"r{n}{k}", script, seconds)
                   for k, spec in enumerate(order)}
            first, second = got[a.label], got[b.label]
            p99s[a.label].append(first["p99_ms"])
            p99s[b.label].append(second["p99_ms"])
            ratios.append(second["rps"] / first["rps"])
            cpu_ratios.append(second["cpu_us"] / first["cpu_us"])
            peak_ratios.append(second["peak_mb"] / first["peak_mb"])
            print(f"round {n + 1:2d}: A {first['rps']:7.0f}/s {first['cpu_us']:6.1f} µs, "
                  f"p99 {first['p99_ms']:5.1f} ms, {first['peak_mb']:5.1f} MB, "
                  f"B {second['rps']:7.0f}/s {second['cpu_us']:6.1f} µs, "
                  f"p99 {second['p99_ms']:5.1f} ms, {second['peak_mb']:5.1f} MB, "
                  f"B÷A {ratios[-1]:.3f}", file=sys.stderr, flush=True)
    print(f"\nB ({b.label}) ÷ A ({a.label}), {rounds} rounds of {seconds} s, 32 connections")
    print(f"  answers a second: median {statistics.median(ratios):.3f}"
          f" (spread {min(ratios):.3f}–{max(ratios):.3f})")
    print(f"  CPU per answer:   median {statistics.median(cpu_ratios):.3f}"
          f" (spread {min(cpu_ratios):.3f}–{max(cpu_ratios):.3f})")
    print(f"  peak RSS under load: median {statistics.median(peak_ratios):.3f}"
          f" (spread {min(peak_ratios):.3f}–{max(peak_ratios):.3f})")
    for name, spec in (("A", a), ("B", b)):
        rows = p99s[spec.label]
        print(f"  p99 of {name}: median {statistics.median(rows):.1f} ms, worst round "
              f"{max(rows):.1f} ms")


def start_and_rest(spec: ServerSpec, workdir: Path, idle: float) -> tuple[float, float]:
    """Spawn a server: seconds until /healthz answers, and its RSS (MB, with children)
    after `idle` seconds of rest."""
    with Server(spec, workdir, SERVER_CPU, REPO) as srv:
        seconds = srv.wait_ready()
        time.sleep(idle)
        kib, _children = srv.tree_rss_kib()
    return seconds, kib / 1024


def compare_start(a: ServerSpec, b: ServerSpec, reps: int, idle: float) -> None:
    """Start time and idle RSS of A and B, spawned alternately; medians and their ratio."""
    got: dict[str, list[tuple[float, float]]] = {a.label: [], b.label: []}
    with tempfile.TemporaryDirectory(prefix="bellhop-ab-start-") as tmp:
        for n in range(reps):
            order = (a, b) if n % 2 == 0 else (b, a)
            for k, spec in enumerate(order):
                got[spec.label].append(start_and_rest(spec, Path(tmp) / f"s{n}{k}", idle))
            print(f"start {n + 1:2d}: A {got[a.label][-1][0]:.3f} s {got[a.label][-1][1]:.1f} MB,"
                  f" B {got[b.label][-1][0]:.3f} s {got[b.label][-1][1]:.1f} MB",
                  file=sys.stderr, flush=True)
    start = {label: statistics.median(s for s, _ in rows) for label, rows in got.items()}
    rss = {label: statistics.median(m for _, m in rows) for label, rows in got.items()}
    print(f"\nB ({b.label}) ÷ A ({a.label}), {reps} starts each, alternating")
    print(f"  start (spawn → /healthz): A {start[a.label]:.3f} s, B {start[b.label]:.3f} s,"
          f" B÷A {start[b.label] / start[a.label]:.3f}")
    print(f"  RSS {idle:g} s after start: A {rss[a.label]:.1f} MB, B {rss[b.label]:.1f} MB,"
          f" B÷A {rss[b.label] / rss[a.label]:.3f}")


def run(a_desktop: Path, a_label: str, args: argparse.Namespace) -> None:
    spec = window_spec if args.window else serve_spec
    a = spec(a_label, a_desktop)
    b = spec("this tree" if args.b == REPO else str(args.b), args.b / "desktop")
    if args.rounds > 0:
        compare(a, b, args.rounds, args.seconds)
    if args.starts > 0:
        compile_tree(a_desktop)
        compile_tree(args.b / "desktop")
        compare_start(a, b, args.starts, args.idle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--rev", help="a git revision of this repository, as A")
    source.add_argument("--a", type=Path, help="another checkout's root, as A")
    parser.add_argument("--b", type=Path, default=REPO, help="B (default: this tree)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--starts", type=int, default=0,
                        help="also spawn each this many times: start time and idle RSS")
    parser.add_argument("--idle", type=float, default=1.5,
                        help="seconds of rest before RSS is read")
    parser.add_argument("--window", action="store_true",
                        help="the window process (offscreen) instead of `bellhop serve`")
    args = parser.parse_args(argv)
    if not (can_pin(SERVER_CPU) and can_pin(LOAD_CPU)):
        print("needs taskset and two CPUs: the receiver is measured on one CPU")
        return 0
    os.sched_setaffinity(0, {LOAD_CPU})
    if args.a is not None:
        run(args.a / "desktop", str(args.a), args)
        return 0
    with worktree(args.rev) as tree:
        run(tree / "desktop", args.rev, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
