"""Bellhop benchmarks, each side by side with a bare-aiohttp baseline run in the same session.

1. Receiver throughput: req/s, p50, p99 under 32 connections (wrk, else a Python client).
2. Headless start: spawn -> first 200 on /healthz.
3. Idle RSS: VmRSS (with children) 2 s after start.

Servers run pinned to CPU 0, the load generator (and this script) to CPU 1, one server at a
time, baseline and Bellhop alternating. The output is a report: misses never fail the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loadgen import LoadResult, run_python, run_wrk, write_wrk_script
from payload import BENCH_TOKEN, order_body, write_home
from procs import (
    Server,
    ServerFailed,
    ServerSpec,
    affinity_of,
    can_pin,
    compile_tree,
    post_once,
    serve_argv,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_FILE = HERE / "results" / "latest.json"
SERVER_CPU = 0
LOAD_CPU = 1
SECTIONS = ("throughput", "start", "rss")

MIN_RATIO = 0.70
MAX_P99_MS = 35.0
MAX_START_S = 1.0
MAX_RSS_MB = 60.0


# --- the engine catching up after the load ---------------------------------------------


def event_counts(home: Path) -> tuple[int, int]:
    """(events stored, events still waiting for their first run) in a data home."""
    import sqlite3

    path = home / "events.db"
    if not path.exists():
        return 0, 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        total = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        waiting = conn.execute("SELECT COUNT(*) FROM events WHERE state = 'new'").fetchone()[0]
        return int(total), int(waiting)
    finally:
        conn.close()


def wait_for_runs(home: Path, limit: float = 300.0) -> float:
    """Seconds until every stored event has had its first run (the limit if never)."""
    began = time.perf_counter()
    while event_counts(home)[1] and time.perf_counter() - began < limit:
        time.sleep(0.05)
    return time.perf_counter() - began


def catch_up_after(home: Path, before: tuple[int, int], duration: float) -> dict[str, float]:
    """How far the runs kept up with the answers during a load, and the time to catch up."""
    total, waiting = event_counts(home)
    received = max(1, total - before[0])
    drain = wait_for_runs(home)
    return {
        "received": received,
        "ran_during_load": max(0.0, 1 - waiting / received),
        "drain_s": drain,
        "end_to_end_rps": received / (duration + drain),
    }


# --- what is measured ------------------------------------------------------------------------


def bare_spec(label: str = "bare aiohttp") -> ServerSpec:
    """The baseline: bench/bare_server.py."""
    script = str(HERE / "bare_server.py")
    return ServerSpec(
        label=label,
        argv=lambda port: [sys.executable, script, "--host", "127.0.0.1", "--port", str(port)],
        need_200=False,
    )


def bellhop_command() -> list[str]:
    """The venv's `bellhop` console script, else `python -m bellhop`."""
    script = REPO / ".venv" / "bin" / "bellhop"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "bellhop"]


def bellhop_spec() -> ServerSpec:
    """The subject: `bellhop serve --tunnel none` on a fresh data home holding the bench rule."""
    base = bellhop_command()
    return ServerSpec(
        label="bellhop",
        argv=lambda port: serve_argv(port, command=base),
        need_200=True,
        make_home=write_home,
    )


@dataclass
class Options:
    """Parsed command line."""

    duration: int
    rounds: int
    warmup: int
    connections: int
    start_reps: int
    idle: float
    only: tuple[str, ...]
    loadgen: str
    self_test: bool
    json_path: Path


@dataclass
class Check:
    """One target: a measured value against a limit."""

    name: str
    value: float | None
    limit: float
    higher_is_better: bool
    unit: str

    @property
    def verdict(self) -> str:
        """PASS, MISS, or n/a when there is no value."""
        if self.value is None:
            return "n/a"
        ok = self.value >= self.limit if self.higher_is_better else self.value <= self.limit
        return "PASS" if ok else "MISS"

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for the JSON report."""
        return {
            "name": self.name,
            "value": self.value,
            "limit": self.limit,
            "higher_is_better": self.higher_is_better,
            "unit": self.unit,
            "verdict": self.verdict,
        }


def median_or_none(values: list[float]) -> float | None:
    """The median, or None for no values."""
    return statistics.median(values) if values else None


def ratio(subject: float | None, baseline: float | None) -> float | None:
    """subject / baseline when both exist."""
    if subject is None or not baseline:
        return None
    return subject / baseline


# --- sections --------------------------------------------------------------------------------


class Bench:
    """One benchmark session: a temp directory, the two server specs and the options."""

    def __init__(self, opts: Options, tmp: Path) -> None:
        """Set up the session in `tmp`."""
        self.opts = opts
        self.tmp = tmp
        self.baseline = bare_spec()
        self.subject = bare_spec("bare (self-test)") if opts.self_test else bellhop_spec()
        self.body_file = tmp / "order.json"
        self.body_file.write_bytes(order_body())
        self.wrk_script = write_wrk_script(tmp, order_body())
        self._serial = 0

    def server(self, spec: ServerSpec) -> Server:
        """A new (not yet started) server with its own work directory."""
        self._serial += 1
        return Server(spec, self.tmp / f"srv{self._serial:02d}", SERVER_CPU, REPO)

    def load(self, url: str, duration: int) -> LoadResult:
        """One load run against `url` with the chosen generator."""
        if self.opts.loadgen == "wrk":
            return run_wrk(url, self.wrk_script, self.opts.connections, duration, LOAD_CPU)
        return run_python(url, self.body_file, self.opts.connections, duration, LOAD_CPU)

    @staticmethod
    def check_pinned(srv: Server) -> None:
        """Refuse to measure a server that is not alone on its CPU when it should be."""
        if not can_pin(SERVER_CPU) or srv.proc is None:
            return
        cpus = affinity_of(srv.proc.pid)
        if cpus is not None and cpus != {SERVER_CPU}:
            raise ServerFailed(f"{srv.spec.label} runs on CPUs {sorted(cpus)}, not on "
                               f"CPU {SERVER_CPU} alone: the figures would be wrong")

    def pairs(self, count: int) -> list[tuple[int, ServerSpec]]:
        """(round, spec) in alternating order: baseline, subject, baseline, subject, ..."""
        return [(n, spec) for n in range(1, count + 1) for spec in (self.baseline, self.subject)]

    def throughput(self) -> dict[str, Any]:
        """Receiver throughput of both servers, alternating, median of the rounds."""
        runs: dict[str, list[LoadResult]] = {self.baseline.label: [], self.subject.label: []}
        catch_up: dict[str, list[dict[str, float]]] = {self.baseline.label: [],
                                                       self.subject.label: []}
        failed: dict[str, str] = {}
        for n, spec in self.pairs(self.opts.rounds):
            if spec.label in failed:
                continue
            log(f"throughput round {n}/{self.opts.rounds}: {spec.label} ...")
            try:
                with self.server(spec) as srv:
                    srv.wait_ready()
                    self.check_pinned(srv)
                    url = f"{srv.url_base}/hooks/{BENCH_TOKEN}"
                    status, answer = post_once(srv.port, f"/hooks/{BENCH_TOKEN}", order_body())
                    if not 200 <= status < 300:
                        raise ServerFailed(
                            f"{spec.label} answered the bench hook with {status}: {answer!r}\n"
                            + srv.log_tail()
                        )
                    home = srv.workdir / "home" if spec.make_home is not None else None
                    if self.opts.warmup > 0:
                        self.load(url, self.opts.warmup)
                        if home is not None:
                            wait_for_runs(home)  # start the round with nothing waiting
                    before = event_counts(home) if home is not None else None
                    result = self.load(url, self.opts.duration)
                    if home is not None and before is not None:
                        catch_up[spec.label].append(
                            catch_up_after(home, before, self.opts.duration))
            except (ServerFailed, RuntimeError, subprocess.SubprocessError) as exc:
                failed[spec.label] = str(exc)
                log(f"  failed: {exc}")
                continue
            runs[spec.label].append(result)
            flag = ""
            if result.errors:
                flag = f"  ERRORS: {result.non_2xx} non-2xx, {result.socket_errors} socket"
            log(
                f"  {result.rps:8.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                f"p99 {result.p99_ms:6.2f} ms  ({result.requests} requests){flag}"
            )
            if catch_up[spec.label]:
                last = catch_up[spec.label][-1]
                log(f"  runs finished during the load: {last['ran_during_load']:.0%} of events;"
                    f" the rest {last['drain_s']:.1f} s after it; events run per second,"
                    f" load + catch-up: {last['end_to_end_rps']:.0f}")

        def side(spec: ServerSpec) -> dict[str, Any]:
            """Medians and raw rounds of one server."""
            rs = runs[spec.label]
            return {
                "label": spec.label,
                "rounds": [r.to_dict() for r in rs],
                "rps": median_or_none([r.rps for r in rs]),
                "p50_ms": median_or_none([r.p50_ms for r in rs]),
                "p99_ms": median_or_none([r.p99_ms for r in rs]),
                "non_2xx": sum(r.non_2xx for r in rs),
                "socket_errors": sum(r.socket_errors for r in rs),
                "error": failed.get(spec.label),
                "catch_up": catch_up[spec.label],
            }

        base, subj = side(self.baseline), side(self.subject)
        # Each round's pair ran back to back: on a machine whose speed drifts by tens of
        # percent within a minute, the spread of these says how far to trust the ratio.
        paired = [s.rps / b.rps for b, s in zip(runs[self.baseline.label],
                                                runs[self.subject.label], strict=False) if b.rps]
        checks = [
            Check("throughput ratio", ratio(subj["rps"], base["rps"]), MIN_RATIO, True, "x"),
            Check(f"{self.subject.label} p99", subj["p99_ms"], MAX_P99_MS, False, "ms"),
        ]
        return {
            "baseline": base,
            "subject": subj,
            "ratio": checks[0].value,
            "round_ratios": paired,
            "checks": [c.to_dict() for c in checks],
        }

    def start(self) -> dict[str, Any]:
        """Spawn -> first good /healthz answer, alternating, median of the repetitions."""
        times: dict[str, list[float]] = {self.baseline.label: [], self.subject.label: []}
        clean: dict[str, list[bool | None]] = {self.baseline.label: [], self.subject.label: []}
        failed: dict[str, str] = {}
        for n, spec in self.pairs(self.opts.start_reps):
            if spec.label in failed:
                continue
            try:
                with self.server(spec) as srv:
                    seconds = srv.wait_ready()
            except ServerFailed as exc:
                failed[spec.label] = str(exc)
                log(f"start {n}: {spec.label} failed: {exc}")
                continue
            times[spec.label].append(seconds)
            clean[spec.label].append(srv.clean_stop)
            log(f"start {n}/{self.opts.start_reps}: {spec.label:18s} {seconds:.3f} s")
        return self._pair_section(
            times,
            failed,
            extra=lambda label: {"stopped_cleanly_on_sigint": clean[label]},
            check=Check(f"{self.subject.label} start", None, MAX_START_S, False, "s"),
            key="seconds",
        )

    def rss(self) -> dict[str, Any]:
        """VmRSS (process + children) after `idle` s of rest, alternating, median."""
        mib: dict[str, list[float]] = {self.baseline.label: [], self.subject.label: []}
        kids: dict[str, list[int]] = {self.baseline.label: [], self.subject.label: []}
        failed: dict[str, str] = {}
        for n, spec in self.pairs(self.opts.rounds):
            if spec.label in failed:
                continue
            try:
                with self.server(spec) as srv:
                    srv.wait_ready()
                    time.sleep(self.opts.idle)
                    kib, children = srv.tree_rss_kib()
            except ServerFailed as exc:
                failed[spec.label] = str(exc)
                log(f"rss {n}: {spec.label} failed: {exc}")
                continue
            mib[spec.label].append(kib / 1024)
            kids[spec.label].append(children)
            log(
                f"rss {n}/{self.opts.rounds}: {spec.label:18s} {kib / 1024:.1f} MB "
                f"({children} children)"
            )
        return self._pair_section(
            mib,
            failed,
            extra=lambda label: {"children": kids[label]},
            check=Check(f"{self.subject.label} idle RSS", None, MAX_RSS_MB, False, "MB"),
            key="mb",
        )

    def _pair_section(
        self,
        values: dict[str, list[float]],
        failed: dict[str, str],
        extra: Callable[[str], dict[str, Any]],
        check: Check,
        key: str,
    ) -> dict[str, Any]:
        """Medians of both sides, their ratio and the subject's check."""

        def side(spec: ServerSpec) -> dict[str, Any]:
            """Median and raw values of one server."""
            vs = values[spec.label]
            return {
                "label": spec.label,
                f"all_{key}": vs,
                key: median_or_none(vs),
                "error": failed.get(spec.label),
                **extra(spec.label),
            }

        base, subj = side(self.baseline), side(self.subject)
        check.value = subj[key]
        return {
            "baseline": base,
            "subject": subj,
            "ratio": ratio(subj[key], base[key]),
            "checks": [check.to_dict()],
        }


# --- report ----------------------------------------------------------------------------------


def log(message: str) -> None:
    """Progress on stderr, so the table on stdout stays clean."""
    print(message, file=sys.stderr, flush=True)


def fmt(value: float | None, pattern: str) -> str:
    """Format a value, or a dash when missing."""
    return "—" if value is None else pattern.format(value)


def error_counts(side: dict[str, Any]) -> str:
    """'non-2xx / socket errors' of one throughput side, a dash when it never ran."""
    if not side["rounds"]:
        return "—"
    return f"{side['non_2xx']} / {side['socket_errors']}"


def render(results: dict[str, Any]) -> str:
    """The human report: one table, then flags and notes."""
    base_label = "bare aiohttp"
    subj_label = results["subject_label"]
    rows: list[tuple[str, str, str, str, str, str]] = []
    flags: list[str] = []

    def section(title: str) -> None:
        """A section heading row."""
        rows.append((title, "", "", "", "", ""))

    tp = results.get("throughput")
    if tp:
        b, s = tp["baseline"], tp["subject"]
        c_ratio, c_p99 = tp["checks"]
        section(
            f"Receiver throughput ({results['loadgen']}, {results['options']['connections']}"
            f" conns, {results['options']['duration']} s x {results['options']['rounds']})"
        )
        rows.append(
            (
                "  req/s (median)",
                fmt(b["rps"], "{:,.0f}"),
                fmt(s["rps"], "{:,.0f}"),
                fmt(tp["ratio"], "{:.2f}"),
                f"ratio ≥ {MIN_RATIO:.2f}",
                c_ratio["verdict"],
            )
        )
        paired = tp.get("round_ratios") or []
        if len(paired) > 1:
            rows.append(
                (
                    "  ratio of each round's pair",
                    "",
                    "",
                    f"{statistics.median(paired):.2f}",
                    f"spread {min(paired):.2f}–{max(paired):.2f}",
                    "",
                )
            )
        rows.append(
            (
                "  p50 latency",
                fmt(b["p50_ms"], "{:.2f} ms"),
                fmt(s["p50_ms"], "{:.2f} ms"),
                fmt(ratio(s["p50_ms"], b["p50_ms"]), "{:.2f}"),
                "",
                "",
            )
        )
        rows.append(
            (
                "  p99 latency",
                fmt(b["p99_ms"], "{:.2f} ms"),
                fmt(s["p99_ms"], "{:.2f} ms"),
                fmt(ratio(s["p99_ms"], b["p99_ms"]), "{:.2f}"),
                f"p99 ≤ {MAX_P99_MS:g} ms",
                c_p99["verdict"],
            )
        )
        rows.append(
            (
                "  non-2xx / socket errors",
                error_counts(b),
                error_counts(s),
                "",
                "",
                "",
            )
        )
        caught = s.get("catch_up") or []
        if caught:
            during = statistics.median(c["ran_during_load"] for c in caught)
            drain = statistics.median(c["drain_s"] for c in caught)
            overall = statistics.median(c["end_to_end_rps"] for c in caught)
            rows.append(("  runs done during the load", "—", f"{during:.0%}", "", "", ""))
            rows.append(("  the rest done after", "—", f"{drain:.1f} s", "", "", ""))
            rows.append(("  events run/s, load + catch-up", "—", f"{overall:,.0f}",
                         "", "", ""))
        for side in (b, s):
            if side["non_2xx"] or side["socket_errors"]:
                flags.append(
                    f"FLAGGED: {side['label']} throughput runs had {side['non_2xx']} "
                    f"non-2xx answers and {side['socket_errors']} socket errors"
                )
    st = results.get("start")
    if st:
        b, s = st["baseline"], st["subject"]
        section(f"Headless start, spawn -> /healthz (median of {results['options']['start_reps']})")
        rows.append(
            (
                "  seconds",
                fmt(b["seconds"], "{:.3f} s"),
                fmt(s["seconds"], "{:.3f} s"),
                fmt(st["ratio"], "{:.2f}"),
                f"≤ {MAX_START_S:g} s",
                st["checks"][0]["verdict"],
            )
        )
        for side in (b, s):
            stops = side["stopped_cleanly_on_sigint"]
            if False in stops:
                flags.append(
                    f"FLAGGED: {side['label']} did not stop within 5 s of SIGINT "
                    f"(killed) in {stops.count(False)} of {len(stops)} starts"
                )
    rs = results.get("rss")
    if rs:
        b, s = rs["baseline"], rs["subject"]
        section(
            f"Idle RSS, {results['options']['idle']:g} s after start "
            f"(median of {results['options']['rounds']})"
        )
        rows.append(
            (
                "  VmRSS incl. children",
                fmt(b["mb"], "{:.1f} MB"),
                fmt(s["mb"], "{:.1f} MB"),
                fmt(rs["ratio"], "{:.2f}"),
                f"≤ {MAX_RSS_MB:g} MB",
                rs["checks"][0]["verdict"],
            )
        )
    shown: dict[str, str] = {}
    for name in SECTIONS:
        sec = results.get(name)
        if not sec:
            continue
        for side in (sec["baseline"], sec["subject"]):
            error = side.get("error")
            if not error:
                continue
            if error in shown:
                flags.append(
                    f"{name}: {side['label']} could not be measured (as in {shown[error]})"
                )
            else:
                shown[error] = name
                tail = "\n".join(error.splitlines()[-6:])
                flags.append(f"{name}: {side['label']} could not be measured:\n{tail}")

    header = ("", base_label, subj_label, "ratio", "target", "result")
    table = [row for row in rows if any(row[1:])]  # section headings span the line
    widths = [max(len(row[i]) for row in [header, *table]) for i in range(6)]
    lines = []
    for row in [header, *rows]:
        if row not in table and row is not header:
            lines.append(row[0])
            continue
        cells = [row[0].ljust(widths[0])]
        cells += [row[i].rjust(widths[i]) for i in range(1, 4)]
        cells += [row[4].ljust(widths[4]), row[5]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join([*lines, *(["", *flags] if flags else [])])


def git_revision() -> str | None:
    """The checkout's commit (with a + when dirty), or None."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return rev + ("+" if dirty else "")


# --- command line ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per load round")
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="rounds per server for throughput and RSS (median reported)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="seconds of unreported load before each round (0: none)",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--start-reps", type=int, default=5, help="spawns per server for start")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds idle before RSS")
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, help="run only this section (repeatable)"
    )
    parser.add_argument(
        "--loadgen",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk when installed (auto), or the Python one",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the harness: bare server on both sides (ratios ≈ 1)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=RESULTS_FILE,
        dest="json_path",
        help=f"where to write the results (default {RESULTS_FILE})",
    )
    args = parser.parse_args(argv)
    loadgen = args.loadgen
    if loadgen == "auto":
        loadgen = "wrk" if shutil.which("wrk") else "python"
    elif loadgen == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed")
    return Options(
        duration=max(1, args.duration),
        rounds=max(1, args.rounds),
        warmup=max(0, args.warmup),
        connections=max(1, args.connections),
        start_reps=max(1, args.start_reps),
        idle=max(0.0, args.idle),
        only=tuple(args.only or SECTIONS),
        loadgen=loadgen,
        self_test=args.self_test,
        json_path=args.json_path,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections, print the table, write the JSON. Always 0 unless broken."""
    opts = parse_args(argv)
    notes: list[str] = []
    pinned = can_pin(SERVER_CPU) and can_pin(LOAD_CPU)
    if pinned:
        os.sched_setaffinity(0, {LOAD_CPU})  # keep this script off the server's core
    else:
        notes.append("NOTE: not pinned (needs taskset and 2 CPUs); figures are noisier")
    if "throughput" in opts.only and opts.loadgen == "python":
        why = "wrk not installed" if not shutil.which("wrk") else "--loadgen python"
        notes.append(
            f"NOTE: {why}: using the Python (aiohttp) load generator; it may saturate "
            "its core before the server does, which pulls ratios towards 1"
        )
    for note in notes:
        log(note)
    compile_tree(REPO / "desktop")  # starts read .pyc files, as an installed Bellhop does

    results: dict[str, Any] = {
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git": git_revision(),
        "host": {
            "cpus": os.cpu_count(),
            "pinned": pinned,
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "self_test": opts.self_test,
        "subject_label": "bare (self-test)" if opts.self_test else "bellhop",
        "subject_command": None if opts.self_test else bellhop_command(),
        "loadgen": opts.loadgen,
        "options": {
            "duration": opts.duration,
            "rounds": opts.rounds,
            "warmup": opts.warmup,
            "connections": opts.connections,
            "start_reps": opts.start_reps,
            "idle": opts.idle,
            "body_bytes": len(order_body()),
        },
        "notes": notes,
    }
    with tempfile.TemporaryDirectory(prefix="bellhop-bench-") as tmp:
        bench = Bench(opts, Path(tmp))
        for name in SECTIONS:
            if name in opts.only:
                results[name] = getattr(bench, name)()

    print()
    print("Bellhop benchmarks" + (" — SELF-TEST (bare vs bare)" if opts.self_test else ""))
    print(render(results))
    for note in notes:
        print(note)
    opts.json_path.parent.mkdir(parents=True, exist_ok=True)
    opts.json_path.write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"\nresults: {opts.json_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
