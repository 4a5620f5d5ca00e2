"""A fake SurveyCake Webhook Query API, and the encryption SurveyCake uses.

`GET /webhook/v0/{svid}/{hash}` answers the response's answers as base64 text of
AES-128-CBC with zero padding, under the survey's Hash Key and IV Key, as
SurveyCake documents it. Tests put answers in with `add` (encrypted there).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from fakes.http_fake import Answer, FakeService, Seen

HASH_KEY = "a1B2c3D4e5F6g7H8"
IV_KEY = "Z9y8X7w6V5u4T3s2"


def encrypt(answers: dict[str, Any], hash_key: str = HASH_KEY, iv_key: str = IV_KEY) -> str:
    """The answers as SurveyCake sends them: JSON, zero-padded, AES-128-CBC, base64."""
    plain = json.dumps(answers, ensure_ascii=False).encode("utf-8")
    plain += b"\0" * (-len(plain) % 16)
    encryptor = Cipher(algorithms.AES(hash_key.encode()), modes.CBC(iv_key.encode())).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")


class FakeSurveyCake(FakeService):
    """Answers by (svid, hash); `busy_for` answers 503 that many times first."""

    def __init__(self) -> None:
        self.responses: dict[tuple[str, str], str] = {}
        self.busy_for = 0
        super().__init__()

    def add(self, svid: str, hash_: str, answers: dict[str, Any], **keys: str) -> None:
        """Keep one response's answers, encrypted as SurveyCake would."""
        self.responses[(svid, hash_)] = encrypt(answers, **keys)

    def handle(self, request: Seen) -> Answer:
        parts = request.path.strip("/").split("/")
        if request.method != "GET" or len(parts) != 4 or parts[:2] != ["webhook", "v0"]:
            return Answer(404, "Not Found")
        if self.busy_for > 0:
            self.busy_for -= 1
            return Answer(503, "Service Unavailable")
        blob = self.responses.get((parts[2], parts[3]))
        if blob is None:
            return Answer(404, "Not Found")
        return Answer(200, blob, {"Content-Type": "text/html; charset=UTF-8"})
