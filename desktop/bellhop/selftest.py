"""`bellhop --selftest`: start Bellhop in a scratch data home, post to itself, check the run."""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

import aiohttp

from bellhop.core.events import EngineEvent, RunFinished
from bellhop.core.i18n import _
from bellhop.core.running.rules import new_token, save_rules


async def _selftest(home: Path) -> bool:
    from bellhop.service import Bellhop

    token = new_token()
    save_rules(home / "rules.json", [{
        "id": "selftest", "name": "Self test", "enabled": True,
        "trigger": {"type": "webhook", "token": token, "methods": ["POST"]},
        "steps": [{"type": "filter", "match": "all",
                   "conditions": [{"field": "body.hello", "op": "eq", "value": "世界"}]}],
    }])
    app = Bellhop(home)
    await app.start("127.0.0.1", 0)
    finished: asyncio.Future[RunFinished] = asyncio.get_running_loop().create_future()

    def on_event(event: EngineEvent) -> None:
        if isinstance(event, RunFinished) and not finished.done():
            finished.set_result(event)

    app.subscribe(on_event)
    try:
        assert app.engine is not None
        url = app.hook_url(app.engine.rules[0])
        # Raw UTF-8, as most senders write it: the body takes the checked road (no \u).
        body = json.dumps({"hello": "世界"}, ensure_ascii=False).encode()
        async with aiohttp.ClientSession() as http, http.post(
                url, data=body, headers={"Content-Type": "application/json"}) as resp:
            answer = await resp.json()
        if resp.status != 202 or not answer.get("ok"):
            print(_("Self test: the receiver answered {status}.").format(
                status=resp.status))
            return False
        result = await asyncio.wait_for(finished, 15)
        ok = result.status == "succeeded" and result.event_id == answer["event_id"]
        print(json.dumps({"selftest": "ok" if ok else "failed", "run": result.status}))
        return ok
    finally:
        await app.stop()


def run_selftest() -> int:
    """Exit code 0 when a webhook posted to Bellhop ran through a rule."""
    with tempfile.TemporaryDirectory(prefix="bellhop-selftest-") as folder:
        try:
            ok = asyncio.run(_selftest(Path(folder)))
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
            print(_("Self test failed: {reason}").format(
                reason=exc), file=sys.stderr)
            return 1
    return 0 if ok else 1
