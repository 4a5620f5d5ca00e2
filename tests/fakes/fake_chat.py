"""Fakes of the chat services `notify_chat` sends to, checking what the real ones check.

Slack incoming webhooks (/services/…), Discord webhooks (/api/webhooks/…), the
Telegram Bot API (/bot<token>/sendMessage), LINE's push API (/v2/bot/message/push)
and a plain JSON webhook (/json/…), on one local port, at the real services' paths.
Each knows its valid tokens and answers the way the real service does for a good
request, a bad token or an unknown chat.
"""

from __future__ import annotations

from fakes.http_fake import Answer, FakeService, Seen, bearer

SLACK_TOKENS = ("T0BELLHOP", "B0BELLHOP", "Xy7sEcReTsLaCkWeBhOoK")
DISCORD_ID, DISCORD_TOKEN = "417429632418316298", "dIsCoRd-ToKeN_abc123"
TELEGRAM_TOKEN, TELEGRAM_CHAT = "123456789:AAbellhopTelegramToken_x", "-1001234567"
LINE_TOKEN, LINE_USER = "line+channel/access=token==", "U4af4980629abcdef0123456789abcdef"


class FakeChat(FakeService):
    """Slack, Discord, Telegram, LINE push and JSON webhooks; `received` has each message."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []  # (service, what it would show)
        self.busy = False  # answer 503 to everything
        super().__init__()

    def handle(self, request: Seen) -> Answer:
        if self.busy:
            return Answer(503, "temporarily unavailable")
        if request.method != "POST":
            return Answer(405, "method not allowed")
        path = request.path
        if path.startswith("/services/"):
            return self._slack(request, path.split("/")[2:])
        if path.startswith("/api/webhooks/"):
            return self._discord(request, path.split("/")[3:])
        if path.startswith("/bot"):
            return self._telegram(request, path[len("/bot"):])
        if path == "/v2/bot/message/push":
            return self._line_push(request)
        if path.startswith("/json/"):
            return self._json(request)
        return Answer(404, {"message": "not found"})

    def _payload(self, request: Seen) -> dict | None:
        if not request.headers.get("content-type", "").startswith("application/json"):
            return None
        try:
            data = request.json()
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _slack(self, request: Seen, tokens: list[str]) -> Answer:
        if tuple(tokens[:3]) != SLACK_TOKENS:
            return Answer(403, "invalid_token")
        data = self._payload(request)
        if data is None:
            return Answer(400, "invalid_payload")
        texts = [data.get("text")] + [a.get("text") for a in data.get("attachments", [])
                                      if isinstance(a, dict)]
        text = "\n".join(t for t in texts if isinstance(t, str) and t)
        titles = [a.get("title") for a in data.get("attachments", []) if isinstance(a, dict)]
        if not text:
            return Answer(400, "no_text")
        self.received.append(("slack", {"text": text, "title": next(
            (t for t in titles if t), "")}))
        return Answer(200, "ok")

    def _discord(self, request: Seen, parts: list[str]) -> Answer:
        if parts[:2] != [DISCORD_ID, DISCORD_TOKEN]:
            return Answer(401, {"message": "Invalid Webhook Token", "code": 50027})
        data = self._payload(request)
        if data is None:
            return Answer(400, {"message": "Cannot send an empty message", "code": 50006})
        embeds = [e for e in data.get("embeds", []) if isinstance(e, dict)]
        text = data.get("content") or "\n".join(str(e.get("description", "")) for e in embeds)
        if not text or len(str(data.get("content", ""))) > 2000:
            return Answer(400, {"message": "Cannot send an empty message", "code": 50006})
        self.received.append(("discord", {"text": text, "title": next(
            (e.get("title") for e in embeds if e.get("title")), "")}))
        return Answer(204, b"")

    def _telegram(self, request: Seen, rest: str) -> Answer:
        token, _, method = rest.partition("/")
        if token != TELEGRAM_TOKEN:
            return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        data = self._payload(request)
        if method != "sendMessage" or data is None or not data.get("text"):
            return Answer(400, {"ok": False, "error_code": 400,
                                "description": "Bad Request: message text is empty"})
        if str(data.get("chat_id")) != TELEGRAM_CHAT:
            return Answer(400, {"ok": False, "error_code": 400,
                                "description": "Bad Request: chat not found"})
        self.received.append(("telegram", {"text": data["text"], "chat": data["chat_id"]}))
        return Answer(200, {"ok": True, "result": {"message_id": len(self.received)}})

    def _line_push(self, request: Seen) -> Answer:
        if bearer(request) != LINE_TOKEN:
            return Answer(401, {"message": "Authentication failed due to the following reason:"
                                           " invalid token."})
        data = self._payload(request)
        messages = data.get("messages") if data else None
        if not isinstance(messages, list) or not 1 <= len(messages) <= 5 or any(
                m.get("type") != "text" or not 0 < len(m.get("text", "")) <= 5000
                for m in messages):
            return Answer(400, {"message": "The request body has 1 error(s)"})
        if data.get("to") != LINE_USER:
            return Answer(400, {"message": "The property, 'to', in the request body is "
                                           "invalid"})
        self.received.append(("line", {"text": messages[0]["text"], "to": data["to"]}))
        return Answer(200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]})

    def _json(self, request: Seen) -> Answer:
        data = self._payload(request)
        if data is None or "message" not in data:
            return Answer(400, {"error": "expected JSON with a message"})
        self.received.append(("json", {"text": data["message"], "title": data.get("title"),
                                       "path": request.path}))
        return Answer(200, {"ok": True})
