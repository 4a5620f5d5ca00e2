"""Signature presets: is this delivery really from the service? One function per scheme.

Every check works on the raw body bytes exactly as they arrived and compares
in constant time. A failed check raises `Rejected` with a reason in plain
words for the person (the sender only ever sees a generic 401).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bellhop.core.i18n import _

if TYPE_CHECKING:
    from bellhop.core.running.rules import VerifyConfig

DEFAULT_TOLERANCE = 300  # seconds a signed timestamp may be away from now


class Rejected(Exception):
    """The delivery did not prove where it came from; `reason` says why, plainly."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Headers = Mapping[str, str]  # case-insensitive (aiohttp's CIMultiDictProxy)
Check = Callable[["VerifyConfig", str, bytes, Headers, float], None]


def _mac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def _same(expected: bytes | str, given: bytes | str) -> bool:
    a = expected.encode() if isinstance(expected, str) else expected
    b = given.encode("utf-8", "surrogateescape") if isinstance(given, str) else given
    return hmac.compare_digest(a, b)


def _header(headers: Headers, name: str) -> str:
    value = headers.get(name)
    if not value:
        raise Rejected(_("The delivery has no {header} header, so it cannot be checked.").format(
            header=name))
    return value.strip()


def mismatch_reason() -> str:
    """Why a signature that is there but wrong was refused."""
    return _("The signature does not match. Is the secret in Bellhop the same as "
             "the one the service shows?")


def _no_match() -> Rejected:
    return Rejected(mismatch_reason())


def _fresh(timestamp: str, now: float, tolerance: int) -> None:
    try:
        sent = int(timestamp)
    except ValueError:
        raise Rejected(_("The delivery's time stamp '{value}' is not a number.").format(
            value=timestamp[:40])) from None
    if abs(now - sent) > tolerance:
        raise Rejected(_("The delivery was signed {seconds} seconds away from now (over "
                         "{tolerance}): an old delivery sent again, or this computer's clock "
                         "is wrong.").format(
            seconds=int(abs(now - sent)), tolerance=tolerance))


def _check_base64_hmac(header: str, secret: str, raw: bytes, headers: Headers) -> None:
    given = _header(headers, header)
    expected = base64.b64encode(_mac(secret.encode(), raw))
    if not _same(expected, given):
        raise _no_match()


def check_shopify(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
                  now: float) -> None:
    """X-Shopify-Hmac-Sha256: <base64 HMAC of the body>."""
    _check_base64_hmac("X-Shopify-Hmac-Sha256", secret, raw, headers)


def check_line(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
               now: float) -> None:
    """X-Line-Signature: <base64 HMAC of the body>."""
    _check_base64_hmac("X-Line-Signature", secret, raw, headers)


def check_github(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
                 now: float) -> None:
    """X-Hub-Signature-256: sha256=<hex HMAC of the body>."""
    given = _header(headers, "X-Hub-Signature-256")
    expected = "sha256=" + _mac(secret.encode(), raw).hex()
    if not _same(expected, given):
        raise _no_match()


def check_stripe(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
                 now: float) -> None:
    """Stripe-Signature: t=<unix>,v1=<hex>[,v1=…] over '<t>.<body>'; any v1 may match."""
    parts = [item.split("=", 1) for item in _header(headers, "Stripe-Signature").split(",")]
    fields = [(k.strip(), v.strip()) for k, *rest in parts for v in rest]
    stamps = [v for k, v in fields if k == "t"]
    signatures = [v for k, v in fields if k == "v1"]
    if not stamps or not signatures:
        raise Rejected(_("The Stripe-Signature header is not in Stripe's format."))
    _fresh(stamps[0], now, config.tolerance)
    expected = _mac(secret.encode(), stamps[0].encode() + b"." + raw).hex()
    if not any(_same(expected, given) for given in signatures):
        raise _no_match()


def check_slack(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
                now: float) -> None:
    """X-Slack-Signature: v0=<hex> over 'v0:<X-Slack-Request-Timestamp>:<body>'."""
    given = _header(headers, "X-Slack-Signature")
    stamp = _header(headers, "X-Slack-Request-Timestamp")
    _fresh(stamp, now, config.tolerance)
    expected = "v0=" + _mac(secret.encode(), b"v0:" + stamp.encode() + b":" + raw).hex()
    if not _same(expected, given):
        raise _no_match()


def check_standard(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
                   now: float) -> None:
    """Standard Webhooks: 'v1,<base64>' list over '<webhook-id>.<webhook-timestamp>.<body>'."""
    message_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    given = _header(headers, "webhook-signature")
    _fresh(stamp, now, config.tolerance)
    encoded = secret.removeprefix("whsec_")
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Rejected(_("The secret saved for this rule is not a Standard Webhooks secret "
                         "(it should look like whsec_…).")) from None
    signed = message_id.encode() + b"." + stamp.encode() + b"." + raw
    expected = base64.b64encode(_mac(key, signed))
    candidates = [item.split(",", 1)[1] for item in given.split()
                  if item.startswith("v1,") and "," in item]
    if not any(_same(expected, candidate) for candidate in candidates):
        raise _no_match()


def check_basic(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
                now: float) -> None:
    """HTTP Basic: the configured user name and the password from the keychain."""
    given = _header(headers, "Authorization")
    scheme, __, encoded = given.partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        decoded = b""  # pragma: no mutate (no value without a ":" can match)
    expected = f"{config.username}:{secret}".encode()
    # Compare everything, even when the scheme is wrong, so timing tells nothing.
    matches = _same(expected, decoded)
    if scheme.lower() != "basic" or not matches:
        raise Rejected(_("The user name or password sent with the delivery is wrong."))


def check_header(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
                 now: float) -> None:
    """A named header must carry the secret token."""
    given = _header(headers, config.header)
    if not _same(secret, given):
        raise Rejected(_("The {header} header does not carry the right token.").format(
            header=config.header))


@dataclass(frozen=True, slots=True)
class Scheme:
    """A signature preset: its check, and the headers that carry its credential or signature.

    The values of those headers are never stored or shown (bellhop.core.inbox.credentials):
    a scheme that reads a secret from a header declares it here.
    """

    check: Check
    carries: tuple[str, ...]
    rule_header: bool = False  # the rule's own `verify.header` carries it too


SCHEMES: dict[str, Scheme] = {
    "shopify": Scheme(check_shopify, ("X-Shopify-Hmac-Sha256",)),
    "line": Scheme(check_line, ("X-Line-Signature",)),
    "github": Scheme(check_github, ("X-Hub-Signature-256", "X-Hub-Signature")),  # + old SHA-1
    "stripe": Scheme(check_stripe, ("Stripe-Signature",)),
    "slack": Scheme(check_slack, ("X-Slack-Signature",)),
    "standard": Scheme(check_standard, ("webhook-signature",)),
    "basic": Scheme(check_basic, ("Authorization",)),
    "header": Scheme(check_header, (), rule_header=True),
}


def check_delivery(config: VerifyConfig, secret: str, raw: bytes, headers: Headers,
                   now: float) -> None:
    """Raise Rejected unless the delivery carries a valid proof for `config.scheme`."""
    SCHEMES[config.scheme].check(config, secret, raw, headers, now)


def credential_headers(config: VerifyConfig) -> tuple[str, ...]:
    """The headers that carry `config`'s credential or signature, as its scheme declares."""
    scheme = SCHEMES[config.scheme]
    return (*scheme.carries, config.header) if scheme.rule_header else scheme.carries
