"""The engine thread giving way (settings `engine_nice`), side by side with it not doing so.

Three servers take turns, each fresh, pinned to CPU 0 with wrk on CPU 1 (as in
run_all.py): bare aiohttp, `bellhop serve` with `engine_nice` 0 (the loop at the
writer's priority), and `bellhop serve` with the default. Besides answers a second,
each round reads the server's CPU time: "busy" is the share of the load's wall time
that CPU 0 spent on the server, and "CPU per answer" what each answer cost it. A
machine shared with others drifts by tens of percent within a minute, so rounds are
short and alternate, and the report is the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from loadgen import run_wrk, write_wrk_script
from payload import BENCH_TOKEN, order_body, write_home
from procs import Server, ServerSpec, can_pin, cpu_seconds, post_once, serve_argv
from run_all import LOAD_CPU, REPO, SERVER_CPU, bare_spec, bellhop_command


def bellhop_with(nice: int | None) -> ServerSpec:
    """`bellhop serve` on a bench home; `nice` None keeps the default setting."""

    def make_home(home: Path) -> Path:
        write_home(home)
        if nice is not None:
            (home / "settings.json").write_text(json.dumps({"version": 1, "engine_nice": nice}))
        return home

    label = "bellhop (default)" if nice is None else f"bellhop (engine_nice {nice})"
    return ServerSpec(
        label=label,
        argv=lambda port: serve_argv(port, command=bellhop_command()),
        need_200=True,
        make_home=make_home,
    )


def one_round(spec: ServerSpec, workdir: Path, script: Path, seconds: int) -> dict[str, float]:
    """Start a server, warm it for a second, load it for `seconds`; what it did."""
    with Server(spec, workdir, SERVER_CPU, REPO) as srv:
        srv.wait_ready()
        post_once(srv.port, f"/hooks/{BENCH_TOKEN}", order_body())
        url = f"{srv.url_base}/hooks/{BENCH_TOKEN}"
        run_wrk(url, script, 32, 1, LOAD_CPU)
        assert srv.proc is not None
        cpu0, wall0 = cpu_seconds(srv.proc.pid), time.perf_counter()
        result = run_wrk(url, script, 32, seconds, LOAD_CPU)
        cpu1, wall1 = cpu_seconds(srv.proc.pid), time.perf_counter()
    if result.errors:
        raise SystemExit(f"{spec.label}: {result.non_2xx} non-2xx, "
                         f"{result.socket_errors} socket errors")
    return {"rps": result.rps, "p99_ms": result.p99_ms, "busy": (cpu1 - cpu0) / (wall1 - wall0),
            "cpu_us": (cpu1 - cpu0) / max(1, result.requests) * 1e6}


def main(argv: list[str] | None = None) -> int:
    """Alternate the three servers for a number of rounds and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--also", type=int, action="append", default=[],
                        help="another engine_nice to measure beside 0 and the default")
    args = parser.parse_args(argv)
    if not (can_pin(SERVER_CPU) and can_pin(LOAD_CPU)):
        print("needs taskset and two CPUs: the effect only shows with the server on one CPU")
        return 0
    os.sched_setaffinity(0, {LOAD_CPU})
    specs = [bare_spec(), bellhop_with(0), bellhop_with(None),
             *(bellhop_with(nice) for nice in args.also)]
    seen: dict[str, list[dict[str, float]]] = {spec.label: [] for spec in specs}
    with tempfile.TemporaryDirectory(prefix="bellhop-bench-priority-") as tmp:
        script = write_wrk_script(Path(tmp), order_body())
        for n in range(args.rounds):
            for k, spec in enumerate(specs):
                got = one_round(spec, Path(tmp) / f"r{n}s{k}", script, args.seconds)
                seen[spec.label].append(got)
                print(f"round {n + 1}: {spec.label:26s} {got['rps']:7.0f} answers/s, busy "
                      f"{got['busy']:4.0%}, {got['cpu_us']:5.1f} µs CPU each, p99 "
                      f"{got['p99_ms']:5.1f} ms", file=sys.stderr, flush=True)
    bare, before, after = (seen[spec.label] for spec in specs[:3])

    def median_ratio(top: list[dict[str, float]], bottom: list[dict[str, float]]) -> float:
        return statistics.median(t["rps"] / b["rps"] for t, b in zip(top, bottom, strict=True))

    print(f"\nThe engine thread giving way ({args.rounds} rounds of {args.seconds} s, "
          "32 connections, medians)")
    print(f"{'':28s}{'busy':>7s}{'µs CPU':>9s}{'p99 ms':>9s}{'÷ bare':>9s}")
    for label, rows in seen.items():
        ratio = median_ratio(rows, bare)
        print(f"  {label:26s}{statistics.median(r['busy'] for r in rows):7.0%}"
              f"{statistics.median(r['cpu_us'] for r in rows):9.1f}"
              f"{statistics.median(r['p99_ms'] for r in rows):9.1f}{ratio:9.3f}")
    print(f"  default ÷ engine_nice 0, round by round: {median_ratio(after, before):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
