"""`bellhop serve --tunnel ngrok` with the fake agent: public URLs printed, deliveries arrive."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from fakes.fake_ngrok import write_agent

from .conftest import Bellhop, new_token, request, webhook_rule


def tunnel_env(bellhop: Bellhop, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(bellhop.env)
    env.update({"BELLHOP_NGROK_PATH": str(write_agent(tmp_path / "bin")),
                "FAKE_NGROK_LOG": str(tmp_path / "agent.log"), **extra})
    return env


def test_serve_prints_public_urls_and_a_public_delivery_runs(
        bellhop: Bellhop, tmp_path: Path) -> None:
    token = new_token()
    csv_path = tmp_path / "out.csv"
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [
        {"type": "append_file", "path": str(csv_path), "columns": {"N": "{{ body.n }}"}}])])
    served = bellhop.start(None, "--tunnel", "ngrok", env=tunnel_env(bellhop, tmp_path))
    served.wait_healthy()
    out = served.wait_stdout("Tunnel: up at ")
    public = re.search(r"Tunnel: up at (http://127\.0\.0\.1:\d+)", out)
    assert public is not None, out
    base = public.group(1)
    hook = f"{base}/hooks/{token}"
    out = served.wait_stdout(f"Orders → {hook}")
    assert "Tunnel: connecting" in out
    assert f"Orders → {served.url(token)}" in out  # the local address, before the tunnel
    status, raw = request(urlsplit(base).port or 0, "POST", f"/hooks/{token}",
                          json.dumps({"n": 42}).encode(), {"Content-Type": "application/json"})
    assert status == 202, raw
    event_id = json.loads(raw)["event_id"]
    assert bellhop.wait_run(event_id) == "succeeded"
    served.wait_stdout(f"Orders  {event_id}  done")
    assert "42" in csv_path.read_text(encoding="utf-8")
    served.stop()
    calls = [json.loads(line) for line in (tmp_path / "agent.log").read_text().splitlines()]
    assert [c["argv"][:2] for c in calls if "argv" in c] == [["start", "--none"]]


def test_serve_with_a_refused_token_says_so_and_keeps_serving_locally(
        bellhop: Bellhop, tmp_path: Path) -> None:
    token = new_token()
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [
        {"type": "filter", "conditions": [{"field": "body.n", "op": "eq", "value": 1}]}])])
    served = bellhop.start(None, "--tunnel", "ngrok",
                           env=tunnel_env(bellhop, tmp_path, FAKE_NGROK_FAIL_AUTH="1"))
    served.wait_healthy()
    out = served.wait_stdout("Tunnel: down.")
    assert "ngrok did not accept the authtoken" in out and "Traceback" not in served.stderr()
    # A console has no buttons: the command to run instead, and the missing token named.
    assert "Save it with: bellhop secret set ngrok" in out and "Accounts ›" not in out
    assert "• ngrok: the ngrok authtoken, for the tunnel" in served.stderr()
    status, raw = request(served.port, "POST", f"/hooks/{token}", b'{"n": 1}',
                          {"Content-Type": "application/json"})
    assert status == 202
    assert bellhop.wait_run(json.loads(raw)["event_id"]) == "succeeded"
    served.stop()
