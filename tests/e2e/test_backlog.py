"""A backlog behind a slow destination, as a server user meets it: SIGTERM stops at once and
loses nothing, a restart answers while the backlog waits, `bellhop events` says what waits.

bench/bench_backlog.py measures the same with 50,000 events.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import aiohttp
import pytest
from aiohttp import web

from bellhop.core.platform.settings import Settings

from .conftest import Bellhop, free_port, new_token, post, wait_until, webhook_rule

EVENTS = 300
SLOTS = Settings().rule_concurrency  # runs of one rule going at once (the default)


class HeldDestination:
    """A web address (in a thread of the test) that answers nothing until released."""

    def __init__(self) -> None:
        self.port = free_port()
        self.calls = 0
        self.loop = asyncio.new_event_loop()
        self.release = asyncio.Event()
        ready = threading.Event()

        async def answer(request: web.Request) -> web.Response:
            self.calls += 1
            await self.release.wait()
            return web.Response(text="ok")

        def serve() -> None:
            asyncio.set_event_loop(self.loop)
            app = web.Application()
            app.router.add_post("/slow", answer)
            runner = web.AppRunner(app, handle_signals=False)
            self.loop.run_until_complete(runner.setup())
            self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        ready.wait(10)

    def open(self) -> None:
        self.loop.call_soon_threadsafe(self.release.set)


@pytest.fixture
def destination() -> Iterator[HeldDestination]:
    held = HeldDestination()
    yield held
    held.open()
    held.loop.call_soon_threadsafe(held.loop.stop)


async def post_all(url: str, count: int) -> int:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=16)) as http:
        async def one(n: int) -> int:
            async with http.post(url, json={"n": n}) as answer:
                return answer.status
        statuses = await asyncio.gather(*(one(n) for n in range(count)))
    return sum(1 for status in statuses if status == 202)


def test_sigterm_with_a_backlog_stops_cleanly_and_the_restart_goes_on(
        bellhop: Bellhop, destination: HeldDestination) -> None:
    token = new_token()
    bellhop.write_rules([webhook_rule("slow", "Slow shop", token, [
        {"type": "http_request", "url": f"http://127.0.0.1:{destination.port}/slow",
         "timeout": 600, "retry": {"attempts": 1, "first_delay": 1}}])])
    served = bellhop.serve()
    assert asyncio.run(post_all(served.url(token), EVENTS)) == EVENTS
    # The rule's slots are going; the rest wait as answered events.
    assert bellhop.query("SELECT COUNT(*) FROM runs WHERE status = 'running'") == [(SLOTS,)]
    assert bellhop.query("SELECT COUNT(*) FROM events WHERE state = 'new'") == [
        (EVENTS - SLOTS,)]
    served.stop()  # SIGTERM: exits 0 within the e2e stop limit, with the slots' requests held

    listed = bellhop.cli("events", "--limit", "1")
    assert listed.returncode == 0, listed.stderr
    assert "Waiting to run:" in listed.stdout
    assert f"“Slow shop”: {EVENTS - SLOTS} waiting, {SLOTS} going" in listed.stdout

    again = bellhop.serve()
    assert post(again.port, token, b'{"n": "late"}')[0] == 202  # answered over the backlog
    destination.open()

    def succeeded() -> int:
        return bellhop.query("SELECT COUNT(*) FROM runs WHERE status = 'succeeded'")[0][0]

    wait_until(lambda: succeeded() == EVENTS + 1, 60, "every run to finish")
    assert bellhop.query("SELECT COUNT(*) FROM runs") == [(EVENTS + 1,)]  # none twice
    assert bellhop.query("SELECT COUNT(*) FROM events") == [(EVENTS + 1,)]  # none lost
    again.stop()
