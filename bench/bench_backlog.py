"""Backlog figures: memory with many events waiting behind a slow step, the first answer
after a restart with that backlog, and how long SIGTERM takes, each beside the same
`bellhop serve` with no backlog, run in this session.

1. A rule calls a web address that answers only after 60 s (a server in this process).
   N events (50,000 by default) are posted by 16 senders. Measured: RSS (peak while
   posting and after), how many runs are "running", all answers 2xx.
2. kill -9, start again on the same data home: seconds from spawn to the first 2xx
   answer to a new delivery, RSS 5 s later, then SIGTERM: seconds to exit, exit code.
3. Start again after that SIGTERM: the same figures.
4. Nothing lost: every event that got a 2xx is in events.db, waiting or run.
The baseline is the same serve on an empty data home: start to first 2xx, idle RSS,
SIGTERM time. Ratios are subject ÷ baseline.

    .venv/bin/python bench/bench_backlog.py [--events 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from payload import BENCH_TOKEN, order_body
from procs import Server, ServerSpec, free_port, serve_argv
from run_all import bellhop_command

HERE = Path(__file__).resolve().parent
RESULTS_FILE = HERE / "results" / "backlog.json"
SENDERS = 16
HOLD_SECONDS = 60.0
TARGET_RSS_MB = 150.0
TARGET_FIRST_ANSWER_S = 2.0
TARGET_SIGTERM_S = 5.0


class SlowDestination:
    """An HTTP server in a thread of this process that answers each request after `hold` s."""

    def __init__(self, hold: float) -> None:
        self.hold = hold
        self.port = free_port()
        self.seen = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._ready = threading.Event()

    async def _answer(self, request: web.Request) -> web.Response:
        self.seen += 1
        await request.read()
        await asyncio.sleep(self.hold)
        return web.Response(text="ok")

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/slow", self._answer)
        runner = web.AppRunner(app, handle_signals=False)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)


def write_home(home: Path, destination_port: int) -> Path:
    """A data home whose one rule calls the slow destination (one attempt, 10-minute limit)."""
    home.mkdir(parents=True, exist_ok=True)
    rules = {"version": 1, "rules": [{
        "id": "slow", "name": "Slow destination", "enabled": True,
        "trigger": {"type": "webhook", "token": BENCH_TOKEN, "methods": ["POST"]},
        "steps": [{"type": "http_request", "url": f"http://127.0.0.1:{destination_port}/slow",
                   "body": "{{ body.name | tojson }}", "timeout": 600,
                   "retry": {"attempts": 1, "first_delay": 1}}]}]}
    (home / "rules.json").write_text(json.dumps(rules, indent=2), encoding="utf-8")
    return home


DESKTOP: Path | None = None  # --desktop: another checkout's desktop/ (e.g. the code before)


def serve_spec(home: Path) -> ServerSpec:
    base = bellhop_command() if DESKTOP is None else [sys.executable, "-m", "bellhop"]
    env = {} if DESKTOP is None else {"PYTHONPATH": str(DESKTOP)}
    return ServerSpec(
        label="bellhop", need_200=True, make_home=lambda _: home, extra_env=env,
        argv=lambda port: serve_argv(port, command=base))


async def post_many(port: int, count: int, body: bytes, server: Server,
                    samples: list[int]) -> tuple[int, int, float]:
    """`count` POSTs from SENDERS connections; (2xx answers, others, seconds). RSS is sampled
    into `samples` (KiB) every 0.25 s meanwhile."""
    url = f"http://127.0.0.1:{port}/hooks/{BENCH_TOKEN}"
    left = count
    good = bad = 0

    async def sender(http: aiohttp.ClientSession) -> None:
        nonlocal left, good, bad
        while left > 0:
            left -= 1
            async with http.post(url, data=body,
                                 headers={"Content-Type": "application/json"}) as answer:
                await answer.read()
                if 200 <= answer.status < 300:
                    good += 1
                else:
                    bad += 1

    async def sample() -> None:
        while True:
            samples.append(server.tree_rss_kib()[0])
            await asyncio.sleep(0.25)

    began = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=SENDERS)
    async with aiohttp.ClientSession(connector=connector) as http:
        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(sender(http) for _ in range(SENDERS)))
        sampler.cancel()
    return good, bad, time.perf_counter() - began


def first_answer(server: Server, body: bytes, timeout: float = 120.0) -> float:
    """Seconds from spawn to the first 2xx answer to a delivery (polled every 10 ms)."""
    import http.client

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        try:
            conn.request("POST", f"/hooks/{BENCH_TOKEN}", body=body,
                         headers={"Content-Type": "application/json"})
            if 200 <= conn.getresponse().status < 300:
                return time.perf_counter() - server.started_at
        except OSError:
            pass
        finally:
            conn.close()
        assert server.proc is not None
        if server.proc.poll() is not None:
            raise RuntimeError("bellhop serve exited:\n" + server.log_tail())
        time.sleep(0.01)
    raise RuntimeError("no answer within the time limit:\n" + server.log_tail())


def sigterm(server: Server, limit: float = 60.0) -> tuple[float, int | None]:
    """SIGTERM; seconds until the process exited, and its exit code."""
    assert server.proc is not None
    began = time.perf_counter()
    server.proc.send_signal(signal.SIGTERM)
    try:
        code = server.proc.wait(limit)
    except subprocess.TimeoutExpired:
        server.end(timeout=1)
        return float("inf"), None
    return time.perf_counter() - began, code


def kill9(server: Server) -> None:
    assert server.proc is not None
    os.killpg(server.proc.pid, signal.SIGKILL)
    server.proc.wait(10)


def db_counts(home: Path) -> dict[str, int]:
    """Events by state and runs by status, read with a separate read-only connection."""
    conn = sqlite3.connect(f"file:{home / 'events.db'}?mode=ro", uri=True)
    try:
        counts = {"events": conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]}
        for state, n in conn.execute("SELECT state, COUNT(*) FROM events GROUP BY state"):
            counts[f"events {state}"] = n
        for status, n in conn.execute("SELECT status, COUNT(*) FROM runs GROUP BY status"):
            counts[f"runs {status}"] = n
        return counts
    finally:
        conn.close()


def mb(kib: int) -> float:
    return kib / 1024


def restart(home: Path, workdir: Path, body: bytes) -> dict[str, Any]:
    """Start on `home`; first answer, RSS 5 s later, runs going, SIGTERM time."""
    server = Server(serve_spec(home), workdir, None, HERE.parent)
    server.start()
    try:
        first = first_answer(server, body)
        time.sleep(5)
        rss = server.tree_rss_kib()[0]
        running = db_counts(home).get("runs running", 0)
        took, code = sigterm(server)
    finally:
        server.end(timeout=1)
    return {"first_answer_s": first, "rss_mb": mb(rss), "runs_running": running,
            "sigterm_s": took, "exit_code": code}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--desktop", type=Path, default=None,
                        help="run the desktop/ folder of another checkout (a git worktree)")
    args = parser.parse_args(argv)
    global DESKTOP
    DESKTOP = args.desktop
    body = order_body()
    destination = SlowDestination(HOLD_SECONDS)
    destination.start()
    results: dict[str, Any] = {"events": args.events, "hold_s": HOLD_SECONDS}
    with tempfile.TemporaryDirectory(prefix="bellhop-backlog-") as scratch:
        root = Path(scratch)
        # The baseline: the same serve, nothing waiting.
        empty = write_home(root / "empty", destination.port)
        base = Server(serve_spec(empty), root / "w0", None, HERE.parent)
        base.start()
        try:
            base_first = first_answer(base, body)
            time.sleep(2)
            base_rss = base.tree_rss_kib()[0]
            base_term, _ = sigterm(base)
        finally:
            base.end(timeout=1)
        results["baseline"] = {"first_answer_s": base_first, "rss_mb": mb(base_rss),
                               "sigterm_s": base_term}
        print(f"baseline: first answer {base_first:.3f} s, idle RSS {mb(base_rss):.1f} MB, "
              f"SIGTERM {base_term:.3f} s", flush=True)

        home = write_home(root / "home", destination.port)
        server = Server(serve_spec(home), root / "w1", None, HERE.parent)
        server.start()
        samples: list[int] = []
        try:
            server.wait_ready()
            good, bad, took = asyncio.run(post_many(server.port, args.events, body, server,
                                                    samples))
            time.sleep(1)
            after = server.tree_rss_kib()[0]
            counts = db_counts(home)
        finally:
            kill9(server)
        results["load"] = {"answered_2xx": good, "other": bad, "seconds": took,
                           "peak_rss_mb": mb(max(samples, default=0)),
                           "rss_after_mb": mb(after), "db": counts}
        print(f"posted {args.events} in {took:.1f} s ({good} 2xx, {bad} other); RSS peak "
              f"{mb(max(samples, default=0)):.1f} MB, after {mb(after):.1f} MB; "
              f"{counts}", flush=True)

        results["after_kill9"] = after_kill = restart(home, root / "w2", body)
        print(f"after kill -9: {after_kill}", flush=True)
        results["after_sigterm"] = after_term = restart(home, root / "w3", body)
        print(f"after SIGTERM: {after_term}", flush=True)
        final = db_counts(home)
        results["final_db"] = final
        # Every 2xx is on disk: the posted ones plus one first-answer delivery per restart.
        lost = good + 2 - final["events"]
        results["lost"] = lost

    peak = results["load"]["peak_rss_mb"]
    rows = [
        ("RSS, 50,000 waiting ÷ idle", peak / results["baseline"]["rss_mb"],
         f"{peak:.1f} MB", f"< {TARGET_RSS_MB:.0f} MB", peak < TARGET_RSS_MB),
        ("first answer after kill -9 ÷ empty start",
         after_kill["first_answer_s"] / base_first, f"{after_kill['first_answer_s']:.2f} s",
         f"< {TARGET_FIRST_ANSWER_S:.0f} s", after_kill["first_answer_s"] < 2),
        ("first answer after SIGTERM ÷ empty start",
         after_term["first_answer_s"] / base_first, f"{after_term['first_answer_s']:.2f} s",
         f"< {TARGET_FIRST_ANSWER_S:.0f} s", after_term["first_answer_s"] < 2),
        ("SIGTERM with the backlog ÷ empty", after_kill["sigterm_s"] / base_term,
         f"{after_kill['sigterm_s']:.2f} s", f"< {TARGET_SIGTERM_S:.0f} s",
         after_kill["sigterm_s"] < TARGET_SIGTERM_S and after_kill["exit_code"] == 0),
    ]
    print("\n| figure | ratio | value | target | met |\n|---|---|---|---|---|")
    for name, ratio, value, target, met in rows:
        print(f"| {name} | {ratio:.2f} | {value} | {target} | {'yes' if met else 'NO'} |")
    print(f"\nruns 'running' after restarts: {after_kill['runs_running']}, "
          f"{after_term['runs_running']}; events lost: {lost}")
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(results, indent=2), encoding="utf-8")
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
