"""SurveyCake answers: the step a "This is a SurveyCake webhook" trigger runs first.

SurveyCake posts only two form fields, `svid` and `hash`. The answers are fetched
from `https://<domain>/webhook/v0/{svid}/{hash}` as base64 text, encrypted with
AES-128-CBC (zero padding) under the survey's Hash Key and IV Key. This runs as the
run begins, never before the delivery is answered, and is retried like any step.

Templates then see `body.answers` by question and by number: `body.answers["姓名"]`
and `body.answers["1"]` (SurveyCake's `sn`) give the answer as text, several
choices joined with ", "; `body.result` keeps SurveyCake's own list.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, Literal

import aiohttp
from pydantic import Field

from bellhop import __version__
from bellhop.core.cards import ActionType, RetryPolicy, StepConfig, field
from bellhop.core.errors import PermanentError, TransientError, edit_card
from bellhop.core.i18n import N_, _, ngettext
from bellhop.core.stepcontext import StepContext

DEFAULT_DOMAIN = "www.surveycake.com"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class SurveyCakeConfig(StepConfig):
    """Where the answers come from and the names of the two keys in the keychain."""

    type: Literal["surveycake_answers"] = "surveycake_answers"
    retry: RetryPolicy = Field(default_factory=RetryPolicy, title=N_("Retry"))
    domain: str = field(DEFAULT_DOMAIN, label=N_("SurveyCake address"))
    hash_key: str = field(label=N_("Saved Hash Key"), min_length=1)
    iv_key: str = field(label=N_("Saved IV Key"), min_length=1)


def query_url(domain: str, svid: str, hash_: str) -> str:
    """The Webhook Query API address; `domain` may carry its own http(s):// (for tests)."""
    base = domain.strip().rstrip("/") or DEFAULT_DOMAIN
    if "://" not in base:
        base = f"https://{base}"
    return f"{base}/webhook/v0/{svid}/{hash_}"


def _key_bytes(value: str, which: str) -> bytes:
    raw = value.strip().encode("utf-8")
    if len(raw) != 16:
        raise PermanentError(_("The SurveyCake {which} should be 16 characters long, but the saved "
                               "one has {count}. Copy it again from SurveyCake (survey › Settings "
                               "› Webhook).").format(
            which=which, count=len(raw)),
            fix=edit_card("hash_key" if which == "Hash Key" else "iv_key"))
    return raw


def unpad(data: bytes) -> bytes:
    """Strip SurveyCake's zero padding (PKCS#7 padding, which some senders use, too)."""
    data = data.rstrip(b"\0")
    if data and 1 <= data[-1] <= 16 and data.endswith(bytes([data[-1]]) * data[-1]):
        data = data[: -data[-1]]
    return data


def decrypt_answers(blob: bytes, hash_key: str, iv_key: str) -> dict[str, Any]:
    """The answers JSON from SurveyCake's base64 AES-128-CBC text."""
    key, iv = _key_bytes(hash_key, "Hash Key"), _key_bytes(iv_key, "IV Key")
    wrong = PermanentError(_("SurveyCake's answers could not be decrypted. Check that the Hash Key "
                             "and the IV Key saved in Bellhop are the ones of this survey."),
                           fix=edit_card("hash_key"))
    try:
        encrypted = base64.b64decode(blob.strip(), validate=False)
    except (binascii.Error, ValueError) as exc:
        raise wrong from exc
    if not encrypted or len(encrypted) % 16:
        raise wrong
    # Loaded on the first SurveyCake answer: most people never need it (8 MB at start).
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    plain = unpad(decryptor.update(encrypted) + decryptor.finalize())
    try:
        data = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise wrong from exc
    if not isinstance(data, dict):
        raise wrong
    return data


def _text(answer: Any) -> str:
    if isinstance(answer, list):
        return ", ".join(_text(item) for item in answer if item not in (None, ""))
    if isinstance(answer, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in answer.items())
    return "" if answer is None else str(answer)


def answers_body(data: dict[str, Any]) -> dict[str, Any]:
    """What joins the event's body: the survey's title, time, raw result and `answers`."""
    result = data.get("result") if isinstance(data.get("result"), list) else []
    answers: dict[str, str] = {}
    for item in result:
        if not isinstance(item, dict):
            continue
        text = _text(item.get("answer"))
        subject = str(item.get("subject") or "").strip()
        number = item.get("sn")
        if subject:
            answers[subject if subject not in answers else f"{subject} ({number})"] = text
        if number is not None:
            answers[str(number)] = text
    return {"svid": data.get("svid", ""), "title": data.get("title", ""),
            "submitTime": data.get("submitTime", ""), "result": result, "answers": answers}


async def _fetch(ctx: StepContext, url: str) -> bytes:
    host = url.split("/")[2]
    headers = {"User-Agent": f"Bellhop/{__version__}"}
    try:
        async with ctx.http.get(url, headers=headers,
                                timeout=aiohttp.ClientTimeout(total=30)) as response:
            blob = await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise TransientError(_("Could not reach SurveyCake ({host}) to get the answers.").format(
            host=host)) from exc
    if status == 429 or status >= 500:
        raise TransientError(_("SurveyCake is busy or having trouble ({status}).").format(
            status=status))
    if status != 200:
        raise PermanentError(_("SurveyCake did not give the answers ({status}). Check the "
                               "SurveyCake address of this rule; the response may also have been "
                               "deleted.").format(
            status=status), fix=edit_card("domain"))
    return blob


async def run(ctx: StepContext, config: SurveyCakeConfig) -> dict[str, Any]:
    """Fetch and decrypt the answers of the response this delivery announces."""
    body = ctx.values.get("body")
    body = body if isinstance(body, dict) else {}
    if ctx.test_run and isinstance(body.get("result"), list):
        # A sample that holds the decrypted answers already (Bellhop's own, or a kept one).
        return {"body": answers_body(body), "fetched": False}
    svid, hash_ = str(body.get("svid") or ""), str(body.get("hash") or "")
    if not _ID.match(svid) or not _ID.match(hash_):
        raise PermanentError(_("This delivery is not from SurveyCake: it has no valid svid "
                               "and hash fields."))
    hash_key = ctx.secret(config.hash_key, fix=edit_card("hash_key"))
    iv_key = ctx.secret(config.iv_key, fix=edit_card("iv_key"))
    blob = await _fetch(ctx, query_url(config.domain, svid, hash_))
    data = decrypt_answers(blob, hash_key, iv_key)
    return {"body": answers_body(data), "fetched": True}


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """'Got 4 answers from SurveyCake' (or from the sample, in a test)."""
    body = output.get("body") if isinstance(output.get("body"), dict) else {}
    result = body.get("result")
    count = len(result) if isinstance(result, list) else 0
    if output.get("fetched") is False:
        return ngettext("Used the {count} answer in the sample (a test fetches nothing)",
                        "Used the {count} answers in the sample (a test fetches nothing)",
                        count).format(count=count)
    return ngettext("Got {count} answer from SurveyCake", "Got {count} answers from SurveyCake",
                    count).format(count=count)


ACTION = ActionType(
    type="surveycake_answers",
    label=N_("Get the SurveyCake answers"),
    description=N_("Fetches and decrypts the answers of the SurveyCake response."),
    icon="survey",
    config_model=SurveyCakeConfig,
    run=run,
    has_side_effects=False,
    hidden=True,
    describe=describe,
)
