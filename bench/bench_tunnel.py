"""The tunnel with the fake ngrok agent: recovery after the agent dies, and relay latency.

1. Agent death → tunnel "up" again (SIGKILL the agent; the supervisor notices, waits its
   first backoff, starts a new agent and reconnects). Median of 5 isolated deaths (each
   after the tunnel was up for STABLE_SECONDS); target ≤ 5 s.
2. POST latency through the fake relay (the "public" URL) vs straight to the receiver:
   median and p99 of 200 sequential requests each, and their ratio. The fake relay is a
   thread-per-request Python proxy with a new upstream connection per request, so this
   is the cost of the test double, not of ngrok's edge.

    .venv/bin/python bench/bench_tunnel.py [--kills 5] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "desktop"))
sys.path.insert(0, str(BENCH.parent / "tests"))

from bellhop.core.running.rules import save_rules  # noqa: E402
from bellhop.core.services.tunnel_ngrok import STABLE_SECONDS, NgrokTunnel  # noqa: E402
from bellhop.service import Bellhop  # noqa: E402
from fakes.fake_ngrok import write_agent  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def wait_state(tunnel: Any, state: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while tunnel.state != state:
        if time.monotonic() > deadline:
            raise SystemExit(f"tunnel not {state} after {timeout} s: {tunnel.reason}")
        await asyncio.sleep(0.005)


async def latencies(url: str, n: int) -> list[float]:
    out = []
    async with aiohttp.ClientSession() as http:
        for i in range(n + 10):
            began = time.perf_counter()
            async with http.post(url, json={"n": i}) as answer:
                await answer.read()
                assert answer.status == 202, answer.status
            if i >= 10:  # warm-up
                out.append((time.perf_counter() - began) * 1000)
    return out


async def main(kills: int, requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["BELLHOP_NGROK_PATH"] = str(write_agent(root / "bin"))
        os.environ["FAKE_NGROK_URL_FILE"] = str(root / "urls")
        home = root / "home"
        home.mkdir()
        token = "b" * 22
        save_rules(home / "rules.json", [{
            "id": "r1", "name": "bench", "enabled": True,
            "trigger": {"type": "webhook", "token": token},
            "steps": [{"type": "filter", "conditions": [
                {"field": "body.n", "op": "eq", "value": -1}]}]}])
        app = Bellhop(home)
        await app.start("127.0.0.1", 0, tunnel="ngrok")
        try:
            tunnel = app.tunnel
            assert isinstance(tunnel, NgrokTunnel)
            began = time.monotonic()
            await wait_state(tunnel, "up")
            print(f"first connect: {time.monotonic() - began:.2f} s")
            recoveries = []
            for _ in range(kills):
                pid = tunnel.agent_pid
                assert pid is not None
                killed = time.monotonic()
                os.kill(pid, signal.SIGKILL)
                await wait_state(tunnel, "down")
                await wait_state(tunnel, "up")
                recoveries.append(time.monotonic() - killed)
                # Each death on its own: an agent dying again within STABLE_SECONDS of
                # coming up is flapping, and the supervisor backs off further on purpose.
                await asyncio.sleep(STABLE_SECONDS + 0.5)
            median = statistics.median(recoveries)
            print(f"agent death → up again: median {median:.2f} s over {kills} "
                  f"(each: {', '.join(f'{r:.2f}' for r in recoveries)}); target ≤ 5 s: "
                  f"{'met' if median <= 5 else 'MISSED'}")
            rule = app.list_rules()[0]
            assert app.receiver is not None
            direct = await latencies(app.hook_url(rule, base=app.receiver.base_url), requests)
            relayed = await latencies(app.hook_url(rule), requests)
            for name, values in (("direct ", direct), ("relayed", relayed)):
                print(f"{name}: median {statistics.median(values):.2f} ms, "
                      f"p99 {percentile(values, 0.99):.2f} ms ({requests} POSTs)")
            ratio = statistics.median(relayed) / statistics.median(direct)
            print(f"relay / direct: median ×{ratio:.2f}, "
                  f"p99 ×{percentile(relayed, 0.99) / percentile(direct, 0.99):.2f}")
        finally:
            await app.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.kills, args.requests))
