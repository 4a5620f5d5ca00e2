"""Signing a delivery as its service would, so Bellhop can send a rule its own sample.

The mirror of verify.py: for each signature preset, the headers that make the rule's
check pass for these body bytes with this secret. Used only for "Send the sample to this
rule" (core/inbox/sample_send.py); what the receiver checks is still verify.py alone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bellhop.core.running.rules import VerifyConfig


def _mac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def signature_headers(config: VerifyConfig, secret: str, raw: bytes,
                      now: float) -> dict[str, str]:
    """The headers that prove `raw` comes from the service `config.scheme` names."""
    key = secret.encode()
    stamp = str(int(now))
    scheme = config.scheme
    if scheme == "shopify":
        return {"X-Shopify-Hmac-Sha256": base64.b64encode(_mac(key, raw)).decode()}
    if scheme == "line":
        return {"X-Line-Signature": base64.b64encode(_mac(key, raw)).decode()}
    if scheme == "github":
        return {"X-Hub-Signature-256": "sha256=" + _mac(key, raw).hex()}
    if scheme == "stripe":
        return {"Stripe-Signature": f"t={stamp},v1=" + _mac(key, stamp.encode() + b"." + raw
                                                              ).hex()}
    if scheme == "slack":
        return {"X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": "v0=" + _mac(key, b"v0:" + stamp.encode() + b":" + raw
                                                  ).hex()}
    if scheme == "standard":
        message_id = "msg_" + secrets.token_hex(8)
        try:
            signing_key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except (binascii.Error, ValueError):
            return {}  # not such a secret: the receiver's check says so in words
        signed = f"{message_id}.{stamp}.".encode() + raw
        return {"webhook-id": message_id, "webhook-timestamp": stamp,
                "webhook-signature": "v1," + base64.b64encode(_mac(signing_key, signed)).decode()}
    if scheme == "basic":
        pair = f"{config.username}:{secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    if scheme == "header":
        return {config.header: secret}
    raise ValueError(f"unknown signature scheme {scheme!r}")
