"""'Send the sample to this rule': the rule's sample, posted to its own local address.

A real HTTP request to the receiver on this computer, so the person can try a rule
without the service that will send to it: the delivery is checked, stored, answered
and run like any other, and shows in Activity (or as a refusal, with its reason).
When the rule checks signatures, the sample is signed with the rule's saved secret as
the service would sign it; each send gets fresh delivery ids, so it runs every time.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import aiohttp

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _
from bellhop.core.inbox.dedupe import ID_HEADERS
from bellhop.core.inbox.signing import signature_headers
from bellhop.core.inbox.verify import SCHEMES
from bellhop.core.running.payload import is_json_type, media_type

if TYPE_CHECKING:
    from bellhop.core.inbox.receiver import Receiver
    from bellhop.core.running.rules import LoadedRule

FORM = "application/x-www-form-urlencoded"
# Headers the sample's own request had that belong to that request, not to this one.
_NOT_SENT = {"host", "content-length", "transfer-encoding", "content-encoding", "connection",
             "keep-alive", "expect", "accept-encoding", "te", "trailer", "upgrade",
             "user-agent", "x-bellhop-sample"}
_SIGNATURES = {name.lower() for scheme in SCHEMES.values() for name in scheme.carries}


@dataclass(frozen=True, slots=True)
class SampleSent:
    """How the rule answered its sample: taken (with its event) or refused, in words."""

    taken: bool
    status: int
    event_id: str | None
    message: str


def sample_request(sample: dict[str, Any]) -> tuple[str, bytes, dict[str, str]]:
    """The method, body bytes and headers that deliver `sample` again."""
    method = str(sample.get("method") or "POST").upper()
    headers = {str(k): str(v) for k, v in dict(sample.get("headers") or {}).items()
               if str(k).lower() not in _NOT_SENT and str(k).lower() not in _SIGNATURES
               and str(v) != "(hidden)"}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    body = sample.get("body", {})
    if isinstance(body, str):
        raw = body.encode("utf-8")
        content_type = content_type or "text/plain; charset=utf-8"
    elif is_json_type(content_type) or not content_type or not isinstance(body, dict):
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if not is_json_type(content_type):
            content_type = "application/json"
    else:  # form fields (a multipart form goes as plain fields: its files are not kept)
        raw = urlencode({k: v for k, v in body.items() if isinstance(v, str | int | float)}
                        ).encode("ascii")
        if media_type(content_type) != FORM:
            content_type = FORM
    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    headers["Content-Type"] = content_type
    for name in ID_HEADERS:  # a fresh delivery each time: dedupe must not swallow it
        for key in [k for k in headers if k.lower() == name.lower()]:
            headers[key] = "bellhop-sample-" + secrets.token_hex(8)
    headers["User-Agent"] = "Bellhop (sample)"
    if method in ("GET", "HEAD"):
        raw = b""
    return method, raw, headers


async def send_sample(receiver: Receiver, http: aiohttp.ClientSession, rule: LoadedRule,
                      sample: dict[str, Any]) -> SampleSent:
    """Post the sample to the rule's local address and say how the rule took it."""
    method, raw, headers = sample_request(sample)
    verify = rule.head.trigger.verify if rule.head is not None else None
    if verify is not None:
        try:
            secret = await receiver.secrets.get(verify.secret)
        except BellhopError:
            pass  # no secret saved: the rule refuses the sample and says so
        else:
            headers.update(signature_headers(verify, secret, raw, time.time()))
    query = sample.get("query") if isinstance(sample.get("query"), dict) else {}
    url = f"{receiver.base_url}/hooks/{rule.token}" + (f"?{urlencode(query)}" if query else "")
    try:
        async with http.request(method, url, data=raw, headers=headers,
                                timeout=aiohttp.ClientTimeout(total=30)) as resp:
            status, text = resp.status, await resp.text(errors="replace")
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise BellhopError(_("Bellhop could not reach its own address ({reason}). Is it "
                             "still starting? Try again in a moment.").format(
            reason=exc or type(exc).__name__)) from exc
    answer = _json(text)
    if 200 <= status < 300:
        if answer.get("duplicate"):
            return SampleSent(True, status, answer.get("event_id"), _(
                "Bellhop already had this delivery (its id in the sample matches an earlier "
                "one), so it did not run again."))
        return SampleSent(True, status, answer.get("event_id"), _(
            "Sent. The rule took the sample and runs it now: see it in Activity."))
    noted = receiver.refusals.last.get(rule.id)
    reason = noted.reason if noted is not None and noted.status == status else str(
        answer.get("error") or status)
    return SampleSent(False, status, None, _("The rule turned the sample away: {reason}").format(
        reason=reason))


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
