"""SurveyCake's extra work per delivery, side by side with a plain form webhook.

Two rules on one Bellhop (in this process, a free port): a plain form webhook and a
"This is a SurveyCake webhook" trigger, both with the same one card (a desktop notice,
which does no I/O). The SurveyCake rule also fetches the answers from a local fake
SurveyCake (HTTP over loopback, thread-per-request) and decrypts them (AES-128-CBC).
For each: the answer time of the POST, and the time from POST to the run finished,
over N sequential deliveries; medians and p95 side by side, and their ratio. Plus the
decryption alone, per call.

    .venv/bin/python bench/bench_surveycake.py [--events 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import keyring

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "desktop"))
sys.path.insert(0, str(BENCH.parent / "tests"))

from bellhop.actions.surveycake import decrypt_answers  # noqa: E402
from bellhop.core.events import RunFinished  # noqa: E402
from bellhop.core.running.rules import new_token, save_rules  # noqa: E402
from bellhop.service import Bellhop  # noqa: E402
from fakes.fake_surveycake import HASH_KEY, IV_KEY, FakeSurveyCake, encrypt  # noqa: E402
from memory_keyring import MemoryKeyring  # noqa: E402

ANSWERS = json.loads((BENCH.parent / "resources" / "samples" / "surveycake_answers.json")
                     .read_bytes())


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def deliveries(app: Bellhop, url: str, bodies: list[bytes]) -> tuple[list[float],
                                                                            list[float]]:
    """(answer times, post-to-finished times) in ms, one delivery at a time."""
    finished: dict[str, float] = {}
    app.subscribe(lambda event: finished.setdefault(event.event_id, time.perf_counter())
                  if isinstance(event, RunFinished) and event.status == "succeeded" else None)
    answers, totals = [], []
    async with aiohttp.ClientSession() as http:
        for body in bodies:
            began = time.perf_counter()
            async with http.post(url, data=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded"}) as answer:
                event_id = (await answer.json())["event_id"]
            answers.append((time.perf_counter() - began) * 1000)
            while event_id not in finished:
                await asyncio.sleep(0.0005)
            totals.append((finished[event_id] - began) * 1000)
    return answers, totals


async def main(events: int) -> None:
    keyring.set_keyring(MemoryKeyring())
    keyring.set_password("bellhop", "sc-hash", HASH_KEY)
    keyring.set_password("bellhop", "sc-iv", IV_KEY)
    notice = [{"type": "desktop_notice", "title": "{{ body.svid }} {{ body.hash }}"}]
    with FakeSurveyCake() as fake, tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        hashes = [f"{n:016x}" for n in range(events + 20)]
        for hash_ in hashes:
            fake.add("8aB3kQ", hash_, ANSWERS)
        plain_token, sc_token = new_token(), new_token()
        save_rules(home / "rules.json", [
            {"id": "plain", "name": "plain", "trigger": {"type": "webhook", "token": plain_token},
             "steps": notice},
            {"id": "sc", "name": "surveycake", "trigger": {
                "type": "webhook", "token": sc_token,
                "surveycake": {"domain": fake.base, "hash_key": "sc-hash", "iv_key": "sc-iv"}},
             "steps": [{"type": "desktop_notice",
                        "title": "{{ body.answers['姓名'] }} {{ body.hash }}"}]}])
        app = Bellhop(home)
        await app.start("127.0.0.1", 0)
        try:
            assert app.receiver is not None
            base = app.receiver.base_url
            bodies = [f"svid=8aB3kQ&hash={h}".encode() for h in hashes]
            await deliveries(app, f"{base}/hooks/{plain_token}", bodies[:20])  # warm-up
            await deliveries(app, f"{base}/hooks/{sc_token}", bodies[:20])
            rounds: dict[str, Any] = {"plain": ([], []), "sc": ([], [])}
            # Alternate in blocks so both see the same machine load.
            for start in range(20, events + 20, 50):
                chunk = bodies[start:start + 50]
                for key, token in (("plain", plain_token), ("sc", sc_token)):
                    a, t = await deliveries(app, f"{base}/hooks/{token}", chunk)
                    rounds[key][0].extend(a)
                    rounds[key][1].extend(t)
        finally:
            await app.stop()
    blob = encrypt(ANSWERS).encode()
    began, n = time.perf_counter(), 2000
    for _ in range(n):
        decrypt_answers(blob, HASH_KEY, IV_KEY)
    decrypt_us = (time.perf_counter() - began) / n * 1e6

    print(f"SurveyCake vs plain form webhook, {events} sequential deliveries each")
    print(f"{'':34} {'plain':>10} {'SurveyCake':>11} {'ratio':>7}")
    for label, index in (("answer to the sender", 0), ("post → run finished", 1)):
        plain, sc = rounds["plain"][index], rounds["sc"][index]
        for name, fn in (("median", statistics.median), ("p95", p95)):
            a, b = fn(plain), fn(sc)
            print(f"{label + ' ' + name + ' (ms)':34} {a:10.2f} {b:11.2f} {b / a:7.2f}")
    print(f"decrypt + parse alone: {decrypt_us:.1f} µs per response")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    asyncio.run(main(parser.parse_args().events))
