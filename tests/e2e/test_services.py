"""LINE auto reply, SurveyCake answers, chat messages and desktop notices through `bellhop serve`.

`bellhop serve` runs as a subprocess; fakes of LINE's reply API, SurveyCake's query
API and a JSON chat webhook run in this process; everything talks over 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest

from fakes.fake_chat import FakeChat
from fakes.fake_line import CHANNEL_TOKEN, FakeLine
from fakes.fake_surveycake import HASH_KEY, IV_KEY, FakeSurveyCake

from .conftest import SAMPLES, Bellhop, new_token, request, wait_until, webhook_rule

LINE_EVENT = json.loads((SAMPLES / "line_message_event.json").read_bytes())
LINE_SECRET = "line-channel-secret-0123456789"
ANSWERS = json.loads((SAMPLES / "surveycake_answers.json").read_bytes())


@pytest.fixture
def chat() -> Iterator[FakeChat]:
    with FakeChat() as fake:
        yield fake


def line_post(port: int, token: str, body: bytes, secret: str = LINE_SECRET) -> tuple[int, dict]:
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    status, raw = request(port, "POST", f"/hooks/{token}", body, {
        "Content-Type": "application/json", "X-Line-Signature": signature.decode()})
    return status, json.loads(raw) if raw else {}


def test_line_keyword_gets_an_auto_reply(bellhop: Bellhop) -> None:
    """營業時間 → the opening hours as a reply; Verify → 200 and nothing stored; other text →
    skipped by the filter, no reply."""
    token = new_token()
    reply_tokens = ("tok-first", "tok-second")
    with FakeLine(reply_tokens) as line:
        bellhop.set_secret("line-signing", LINE_SECRET)
        bellhop.set_secret("line-channel-token", CHANNEL_TOKEN)
        rule = webhook_rule("line", "LINE 營業時間", token, [
            {"type": "filter", "match": "all", "conditions": [
                {"field": "body.events[0].message.text", "op": "eq", "value": "營業時間"}]},
            {"type": "line_reply", "text": "您好！營業時間：每天 10:00–19:00。",
             "api_base": line.base}])
        rule["trigger"]["verify"] = {"scheme": "line", "secret": "line-signing"}
        bellhop.write_rules([rule])
        served = bellhop.serve()

        verify = (SAMPLES / "line_verify.json").read_bytes()
        status, answer = line_post(served.port, token, verify)
        assert (status, answer) == (200, {"ok": True})
        served.wait_stdout("LINE checked the address of “LINE 營業時間”: it works.")
        assert bellhop.query("SELECT COUNT(*) FROM events")[0][0] == 0

        event = dict(LINE_EVENT, events=[dict(LINE_EVENT["events"][0], replyToken="tok-first")])
        status, answer = line_post(served.port, token, json.dumps(event).encode())
        assert status == 200, answer
        assert bellhop.wait_run(answer["event_id"]) == "succeeded"
        assert line.replies == [("tok-first", ["您好！營業時間：每天 10:00–19:00。"])]

        other = json.loads(json.dumps(event))
        other["events"][0].update(replyToken="tok-second", webhookEventId="01JDX8Q3K7OTHER")
        other["events"][0]["message"]["text"] = "你好"
        status, answer = line_post(served.port, token, json.dumps(other).encode())
        assert status == 200
        assert bellhop.wait_run(answer["event_id"]) == "skipped"
        assert len(line.replies) == 1

        status, _ = line_post(served.port, token, verify, secret="wrong")
        assert status == 401
        served.stop()


def test_a_delivery_while_serve_still_starts_gets_its_line(bellhop: Bellhop) -> None:
    """serve answers as soon as it listens, while it still asks a slow keychain about the
    rules' secrets: what comes in meanwhile is told on its output all the same."""
    token = new_token()
    bellhop.set_secret("line-signing", LINE_SECRET)
    rule = webhook_rule("line", "LINE 營業時間", token, [
        {"type": "line_reply", "text": "您好", "token": "line-channel-token"}])  # not saved
    rule["trigger"]["verify"] = {"scheme": "line", "secret": "line-signing"}
    bellhop.write_rules([rule])
    served = bellhop.start(env={**bellhop.env, "BELLHOP_TEST_KEYRING_DELAY": "1.5"})
    served.wait_healthy(30)
    status, _ = line_post(served.port, token, (SAMPLES / "line_verify.json").read_bytes())
    assert status == 200
    served.wait_stdout("LINE checked the address of “LINE 營業時間”: it works.", 30)
    wait_until(lambda: "line-channel-token" in served.stderr(), 30,
               "the missing channel token told")  # and the start went on to the end
    served.stop()


def test_surveycake_answers_reach_chat_and_a_desktop_notice(bellhop: Bellhop,
                                                            chat: FakeChat) -> None:
    """A SurveyCake post (svid, hash) → answers fetched, decrypted, used by two cards."""
    token = new_token()
    with FakeSurveyCake() as surveycake:
        surveycake.add("8aB3kQ", "5f0c8e1d2a7b4c9e", ANSWERS)
        surveycake.busy_for = 1  # the first fetch fails: the step is tried again
        bellhop.set_secret("sc-hash", HASH_KEY)
        bellhop.set_secret("sc-iv", IV_KEY)
        bellhop.set_secret("team-chat", f"{chat.base}/json/team")
        rule = webhook_rule("sc", "問卷回覆", token, [
            {"type": "notify_chat", "service": "webhook", "secret": "team-chat",
             "title": "{{ body.title }}",
             "message": "{{ body.answers['姓名'] }}：{{ body.answers['3'] }}"},
            {"type": "desktop_notice", "title": "新問卷 {{ body.answers['姓名'] }}",
             "text": "{{ body.answers['建議'] }}"}])
        rule["trigger"]["surveycake"] = {"domain": surveycake.base, "hash_key": "sc-hash",
                                         "iv_key": "sc-iv"}
        rule["trigger"]["surveycake"]["retry"] = {"attempts": 3, "first_delay": 0.2}
        bellhop.write_rules([rule])
        served = bellhop.serve()

        body = (SAMPLES / "surveycake_post.txt").read_text().splitlines()[-1].encode()
        status, raw = request(served.port, "POST", f"/hooks/{token}", body,
                              {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 202, raw
        event_id = json.loads(raw)["event_id"]
        assert bellhop.wait_run(event_id, timeout=30) == "succeeded"
        assert chat.received == [("json", {"text": "王小明：非常滿意", "title": "門市滿意度調查",
                                           "path": "/json/team"})]
        served.wait_stdout("Notice: 新問卷 王小明 — 希望週日也營業")
        rows = bellhop.query("SELECT idx, s.status, attempts, output FROM step_runs s JOIN runs r "
                             "ON r.id = s.run_id WHERE r.event_id = ? ORDER BY idx", event_id)
        assert [row[:2] for row in rows] == [(0, "succeeded"), (1, "succeeded"),
                                             (2, "succeeded")]
        assert rows[0][2] == 2  # SurveyCake was busy once
        assert json.loads(rows[0][3])["body"]["answers"]["電子郵件"] == "ming@example.com"

        status, raw = request(served.port, "POST", f"/hooks/{token}", b"name=x",
                              {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 400 and "svid" in raw.decode()
        served.stop()
    assert all(HASH_KEY not in path.read_text(errors="replace")
               for path in bellhop.home.rglob("*.json"))
