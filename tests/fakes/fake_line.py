"""A fake of LINE's Messaging API reply endpoint, checking what LINE checks.

`POST /v2/bot/message/reply` needs `Authorization: Bearer <channel access token>`,
JSON `{"replyToken": …, "messages": [{"type": "text", "text": …}]}` with 1 to 5
messages of at most 5000 characters, and a reply token that LINE issued and that
was not used yet. `GET /v2/bot/info` answers the bot's name for a good token.
"""

from __future__ import annotations

from fakes.http_fake import Answer, FakeService, Seen, bearer

CHANNEL_TOKEN = "line/channel+access=token=="


class FakeLine(FakeService):
    """LINE's reply API; `replies` holds each accepted (reply token, texts)."""

    def __init__(self, reply_tokens: tuple[str, ...] = ()) -> None:
        self.valid_tokens = set(reply_tokens)
        self.replies: list[tuple[str, list[str]]] = []
        super().__init__()

    def handle(self, request: Seen) -> Answer:
        if bearer(request) != CHANNEL_TOKEN:
            return Answer(401, {"message": "Authentication failed due to the following "
                                           "reason: invalid token."})
        if request.method == "GET" and request.path == "/v2/bot/info":
            return Answer(200, {"userId": "Ubot", "basicId": "@123abcde",
                                "displayName": "茶行小幫手"})
        if request.method != "POST" or request.path != "/v2/bot/message/reply":
            return Answer(404, {"message": "Not found"})
        if not request.headers.get("content-type", "").startswith("application/json"):
            return Answer(415, {"message": "Unsupported Media Type"})
        try:
            data = request.json()
        except ValueError:
            return Answer(400, {"message": "The request body has 1 error(s)"})
        messages = data.get("messages") if isinstance(data, dict) else None
        if set(data) != {"replyToken", "messages"} or not isinstance(messages, list):
            return Answer(400, {"message": "The request body has 1 error(s)"})
        if not 1 <= len(messages) <= 5:
            return Answer(400, {"message": "The request body has 1 error(s)",
                                "details": [{"message": "Size must be between 1 and 5",
                                             "property": "messages"}]})
        for message in messages:
            text = message.get("text") if isinstance(message, dict) else None
            if message.get("type") != "text" or not isinstance(text, str) or \
                    not 0 < len(text) <= 5000:
                return Answer(400, {"message": "The request body has 1 error(s)",
                                    "details": [{"message": "Length must be between 0 and "
                                                 "5000", "property": "messages[0].text"}]})
        token = data["replyToken"]
        if token not in self.valid_tokens:
            return Answer(400, {"message": "Invalid reply token"})
        self.valid_tokens.discard(token)  # a reply token works once
        self.replies.append((token, [m["text"] for m in messages]))
        return Answer(200, {"sentMessages": [{"id": str(i), "quoteToken": "q"}
                                             for i, _ in enumerate(messages)]})
