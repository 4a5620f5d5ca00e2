"""Signature presets: every scheme's exact answer to a good, forged, stale or early delivery.

Signatures are made here as each service publishes them (hmac, hashlib, base64 directly),
never with bellhop's own helpers, so a slip in verify.py cannot agree with itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from multidict import CIMultiDict

from bellhop.core.inbox.verify import SCHEMES, Rejected, check_delivery, credential_headers
from bellhop.core.running.rules import VerifyConfig

NOW = 1_764_300_000  # a whole second, so "exactly at the tolerance" is exact
BODY = '{"name": "#1042", "note": "請週五前送達"}'.encode()
TAMPERED = BODY.replace(b"#1042", b"#1043")  # one byte changed, same length
MESSAGE_ID = "msg_2Lh9vJ4Ckx0zHk1"
ACCEPTED = None

NO_MATCH = ("The signature does not match. Is the secret in Bellhop the same as the one the "
            "service shows?")
WRONG_LOGIN = "The user name or password sent with the delivery is wrong."
WRONG_TOKEN = "The X-Api-Key header does not carry the right token."
STRIPE_FORMAT = "The Stripe-Signature header is not in Stripe's format."
NOT_WHSEC = ("The secret saved for this rule is not a Standard Webhooks secret (it should look "
             "like whsec_…).")


def missing(header: str) -> str:
    return f"The delivery has no {header} header, so it cannot be checked."


def away(seconds: int, tolerance: int = 300) -> str:
    return (f"The delivery was signed {seconds} seconds away from now (over {tolerance}): an "
            "old delivery sent again, or this computer's clock is wrong.")


def hmac_b64(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def hmac_hex(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def outcome(scheme: str, secret: str, body: bytes, sent: dict[str, str] | CIMultiDict[str],
            now: float = NOW, **settings: object) -> str | None:
    """None when the delivery is accepted, else the exact reason it was refused."""
    config = VerifyConfig.model_validate({"scheme": scheme, "secret": "name-in-keychain",
                                          **settings})
    try:
        check_delivery(config, secret, body, CIMultiDict(sent), now)
    except Rejected as exc:
        assert str(exc) == exc.reason  # what a traceback or a log would show
        return exc.reason
    return ACCEPTED


# -- each sender, as its documentation says it signs ---------------------------------------

def sign_shopify(secret: str, body: bytes, stamp: int) -> dict[str, str]:
    return {"X-Shopify-Hmac-Sha256": hmac_b64(secret.encode(), body)}


def sign_line(secret: str, body: bytes, stamp: int) -> dict[str, str]:
    return {"X-Line-Signature": hmac_b64(secret.encode(), body)}


def sign_github(secret: str, body: bytes, stamp: int) -> dict[str, str]:
    return {"X-Hub-Signature-256": "sha256=" + hmac_hex(secret.encode(), body)}


def sign_stripe(secret: str, body: bytes, stamp: int) -> dict[str, str]:
    # The whole signing secret (whsec_ included) is the key; the message is "<t>.<body>".
    return {"Stripe-Signature":
            f"t={stamp},v1={hmac_hex(secret.encode(), str(stamp).encode() + b'.' + body)}"}


def sign_slack(secret: str, body: bytes, stamp: int) -> dict[str, str]:
    base = b"v0:" + str(stamp).encode() + b":" + body
    return {"X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": "v0=" + hmac_hex(secret.encode(), base)}


def sign_standard(secret: str, body: bytes, stamp: int) -> dict[str, str]:
    # The key is the base64 after "whsec_"; the message is "<id>.<timestamp>.<body>".
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{MESSAGE_ID}.{stamp}.".encode() + body
    return {"webhook-id": MESSAGE_ID, "webhook-timestamp": str(stamp),
            "webhook-signature": "v1," + hmac_b64(key, signed)}


def sign_basic(secret: str, body: bytes, stamp: int) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"shop:{secret}".encode()).decode()}


def sign_header(secret: str, body: bytes, stamp: int) -> dict[str, str]:
    return {"X-Api-Key": secret}


@dataclass(frozen=True)
class Sender:
    sign: Callable[[str, bytes, int], dict[str, str]]
    secret: str
    wrong_secret: str
    carrier: str  # the header that holds the signature or credential
    refused: str  # the reason for a wrong signature or credential
    signs_body: bool = True
    settings: dict[str, object] = field(default_factory=dict)


STANDARD_KEY = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
OTHER_STANDARD_KEY = "whsec_" + base64.b64encode(b"fedcba9876543210fedcba9876543210").decode()

SENDERS = {
    "shopify": Sender(sign_shopify, "shpss_0123456789abcdef", "shpss_0123456789abcdeF",
                      "X-Shopify-Hmac-Sha256", NO_MATCH),
    "line": Sender(sign_line, "8c570fa6dd201bb328f1c1eac23a96d8",
                   "8c570fa6dd201bb328f1c1eac23a96d9", "X-Line-Signature", NO_MATCH),
    "github": Sender(sign_github, "gh-secret", "gh-secreT", "X-Hub-Signature-256", NO_MATCH),
    "stripe": Sender(sign_stripe, "whsec_stripe_test", "whsec_stripe_tesT", "Stripe-Signature",
                     NO_MATCH),
    "slack": Sender(sign_slack, "8f742231b10e8888abcd99yyyzzz85a5",
                    "8f742231b10e8888abcd99yyyzzz85a6", "X-Slack-Signature", NO_MATCH),
    "standard": Sender(sign_standard, STANDARD_KEY, OTHER_STANDARD_KEY, "webhook-signature",
                       NO_MATCH),
    "basic": Sender(sign_basic, "密碼 123", "密碼 124", "Authorization", WRONG_LOGIN,
                    signs_body=False, settings={"username": "shop"}),
    "header": Sender(sign_header, "tok-123", "tok-124", "X-Api-Key", WRONG_TOKEN,
                     signs_body=False, settings={"header": "X-Api-Key"}),
}
TIMED = ["stripe", "slack", "standard"]


def test_every_scheme_has_a_sender_here() -> None:
    assert set(SENDERS) == set(SCHEMES)


def delivery(scheme: str, case: str) -> tuple[bytes, dict[str, str], str | None]:
    """The body and headers of one kind of delivery, and the exact outcome expected."""
    sender = SENDERS[scheme]
    sent = sender.sign(sender.secret, BODY, NOW)
    body_outcome = NO_MATCH if sender.signs_body else ACCEPTED  # basic and header sign no body
    if case == "correct":
        return BODY, sent, ACCEPTED
    if case == "tampered body":
        return TAMPERED, sent, body_outcome
    if case == "trailing newline":
        return BODY + b"\n", sent, body_outcome
    if case == "body cut short":
        return BODY[:-1], sent, body_outcome
    if case == "wrong secret":
        return BODY, sender.sign(sender.wrong_secret, BODY, NOW), sender.refused
    if case == "signature cut short":
        if sender.signs_body:
            sent[sender.carrier] = sent[sender.carrier][:-1]
            return BODY, sent, sender.refused
        return BODY, sender.sign(sender.secret[:-1], BODY, NOW), sender.refused
    if case == "signature with one more character":
        if sender.signs_body:
            sent[sender.carrier] += "0"
            return BODY, sent, sender.refused
        return BODY, sender.sign(sender.secret + "4", BODY, NOW), sender.refused
    if case == "empty signature":
        sent[sender.carrier] = ""
        return BODY, sent, missing(sender.carrier)
    assert case == "no signature"
    del sent[sender.carrier]
    return BODY, sent, missing(sender.carrier)


CASES = ["correct", "tampered body", "trailing newline", "body cut short", "wrong secret",
         "signature cut short", "signature with one more character", "empty signature",
         "no signature"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("scheme", list(SENDERS))
def test_each_scheme_answers_each_delivery_exactly(scheme: str, case: str) -> None:
    body, sent, expected = delivery(scheme, case)
    sender = SENDERS[scheme]
    assert outcome(scheme, sender.secret, body, sent, **sender.settings) == expected


@pytest.mark.parametrize("scheme", list(SENDERS))
def test_header_names_are_case_insensitive(scheme: str) -> None:
    sender = SENDERS[scheme]
    sent = {name.lower(): value for name, value in sender.sign(sender.secret, BODY, NOW).items()}
    assert outcome(scheme, sender.secret, BODY, sent, **sender.settings) is ACCEPTED


# -- time stamps: stripe, slack, standard -------------------------------------------------

@pytest.mark.parametrize(("offset", "expected"), [
    (-301, away(301)),  # stale, one second past the tolerance
    (-300, ACCEPTED),  # exactly at it
    (-299, ACCEPTED),
    (0, ACCEPTED),
    (299, ACCEPTED),  # signed on a clock running ahead of this one
    (300, ACCEPTED),
    (301, away(301)),  # from the future, one second past
    (-86400, away(86400)),
    (86400, away(86400)),
])
@pytest.mark.parametrize("scheme", TIMED)
def test_time_stamp_tolerance_both_ways(scheme: str, offset: int, expected: str | None) -> None:
    sender = SENDERS[scheme]
    sent = sender.sign(sender.secret, BODY, NOW + offset)
    assert outcome(scheme, sender.secret, BODY, sent) == expected


@pytest.mark.parametrize(("offset", "expected"), [
    (-61, away(61, 60)), (-60, ACCEPTED), (60, ACCEPTED), (61, away(61, 60)),
    (-300, away(300, 60)), (300, away(300, 60))])
@pytest.mark.parametrize("scheme", TIMED)
def test_the_rules_own_tolerance_is_used(scheme: str, offset: int, expected: str | None) -> None:
    sender = SENDERS[scheme]
    sent = sender.sign(sender.secret, BODY, NOW + offset)
    assert outcome(scheme, sender.secret, BODY, sent, tolerance=60) == expected


@pytest.mark.parametrize("scheme", TIMED)
def test_a_fractional_clock_just_past_the_tolerance_is_refused(scheme: str) -> None:
    sender = SENDERS[scheme]
    sent = sender.sign(sender.secret, BODY, NOW - 300)
    assert outcome(scheme, sender.secret, BODY, sent, now=NOW + 0.5) == away(300)
    assert outcome(scheme, sender.secret, BODY, sent, now=NOW - 0.5) is ACCEPTED


def restamped(scheme: str, signed_at: int, sent_at: int) -> dict[str, str]:
    """Signed for one time stamp, sent with another: the time stamp is part of what is signed."""
    sender = SENDERS[scheme]
    sent = sender.sign(sender.secret, BODY, signed_at)
    if scheme == "stripe":
        sent["Stripe-Signature"] = sent["Stripe-Signature"].replace(f"t={signed_at},",
                                                                    f"t={sent_at},")
    elif scheme == "slack":
        sent["X-Slack-Request-Timestamp"] = str(sent_at)
    else:
        sent["webhook-timestamp"] = str(sent_at)
    return sent


@pytest.mark.parametrize("scheme", TIMED)
def test_the_time_stamp_is_signed_too(scheme: str) -> None:
    secret = SENDERS[scheme].secret
    assert outcome(scheme, secret, BODY, restamped(scheme, NOW - 1000, NOW)) == NO_MATCH
    assert outcome(scheme, secret, BODY, restamped(scheme, NOW, NOW + 1)) == NO_MATCH
    assert outcome(scheme, secret, BODY, restamped(scheme, NOW, NOW)) is ACCEPTED


@pytest.mark.parametrize("scheme", TIMED)
def test_a_time_stamp_that_is_not_a_number(scheme: str) -> None:
    secret = SENDERS[scheme].secret
    sent = restamped(scheme, NOW, NOW)
    if scheme == "stripe":
        sent["Stripe-Signature"] = sent["Stripe-Signature"].replace(f"t={NOW}", "t=soon")
    elif scheme == "slack":
        sent["X-Slack-Request-Timestamp"] = "soon"
    else:
        sent["webhook-timestamp"] = "soon"
    assert outcome(scheme, secret, BODY, sent) == (
        "The delivery's time stamp 'soon' is not a number.")


def test_a_long_time_stamp_is_shown_cut_to_40_characters() -> None:
    sent = sign_slack("s", BODY, NOW)
    sent["X-Slack-Request-Timestamp"] = "0123456789" * 4 + "abcdefghij"
    assert outcome("slack", "s", BODY, sent) == (
        f"The delivery's time stamp '{'0123456789' * 4}' is not a number.")


# -- what each scheme adds ---------------------------------------------------------------------

def stripe_v1(stamp: int, body: bytes = BODY, secret: str = "whsec_stripe_test") -> str:
    return hmac_hex(secret.encode(), str(stamp).encode() + b"." + body)


@pytest.mark.parametrize(("header", "expected"), [
    (f"t={NOW},v1={'0' * 64},v1={stripe_v1(NOW)}", ACCEPTED),  # a secret being rolled
    (f"t={NOW},v1={stripe_v1(NOW)},v1={'0' * 64}", ACCEPTED),
    (f"t={NOW},v1={stripe_v1(NOW)},v0=old", ACCEPTED),
    (f" t={NOW} , v1={stripe_v1(NOW)} ", ACCEPTED),
    (f"t={NOW},v1={'0' * 64},v1={'f' * 64}", NO_MATCH),  # no v1 matches
    (f"t={NOW},v1={stripe_v1(NOW, secret='whsec_other')},v1={stripe_v1(NOW, TAMPERED)}",
     NO_MATCH),
    (f"t={NOW},v0={stripe_v1(NOW)},v1={'0' * 64}", NO_MATCH),  # only v1 counts
    (f"t={NOW},v0={stripe_v1(NOW)}", STRIPE_FORMAT),
    (f"t={NOW},v1=", NO_MATCH),
    (f"v1={stripe_v1(NOW)}", STRIPE_FORMAT),
    ("garbage", STRIPE_FORMAT),
    (f"t={NOW - 301},v1={stripe_v1(NOW - 301)}", away(301)),
    # Everything after the first '=' is the signature: a good one with more after it is not.
    (f"t={NOW},v1={stripe_v1(NOW)}=00", NO_MATCH),
    (f"t={NOW},v1=00={stripe_v1(NOW)}", NO_MATCH),
])
def test_stripe_any_v1_may_match_and_nothing_else_may(header: str, expected: str | None) -> None:
    assert outcome("stripe", "whsec_stripe_test", BODY, {"Stripe-Signature": header}) == expected


def test_github_refuses_the_old_sha1_prefix_and_upper_case_hex() -> None:
    digest = hmac_hex(b"gh-secret", BODY)
    assert outcome("github", "gh-secret", BODY,
                   {"X-Hub-Signature-256": "sha256=" + digest}) is ACCEPTED
    for wrong in ("sha1=" + digest, digest, "sha256=" + digest.upper(), "sha256="):
        assert outcome("github", "gh-secret", BODY, {"X-Hub-Signature-256": wrong}) == NO_MATCH


def test_standard_webhooks_signature_list_and_secret() -> None:
    good = sign_standard(STANDARD_KEY, BODY, NOW)
    signature = good["webhook-signature"]
    wrong = sign_standard(OTHER_STANDARD_KEY, BODY, NOW)["webhook-signature"]
    for listed, expected in [
        (f"{wrong} {signature}", ACCEPTED),  # a key being rolled
        (f"{signature} {wrong}", ACCEPTED),
        (f"v1a,{signature[3:]}", NO_MATCH),  # the asymmetric scheme is not this one
        (f"v2,{signature[3:]}", NO_MATCH),
        (signature[3:], NO_MATCH),
        (wrong, NO_MATCH),
        # Everything after the first ',' is the signature: a good one with more is not.
        (f"{signature},{signature[3:]}", NO_MATCH),
        (f"v1,junk{signature[2:]}", NO_MATCH),
    ]:
        assert outcome("standard", STANDARD_KEY, BODY, {**good, "webhook-signature": listed}) \
            == expected, listed
    other_id = {**good, "webhook-id": "msg_other"}
    assert outcome("standard", STANDARD_KEY, BODY, other_id) == NO_MATCH
    bare = STANDARD_KEY.removeprefix("whsec_")  # some services show the key without prefix
    assert outcome("standard", bare, BODY, good) is ACCEPTED
    assert outcome("standard", "whsec_not base64!", BODY, good) == NOT_WHSEC
    # Strictly base64: a stray character is not skipped (the key would still decode).
    for stray in ("!", " ", "."):
        assert outcome("standard", STANDARD_KEY[:10] + stray + STANDARD_KEY[10:], BODY,
                       good) == NOT_WHSEC
    for name in ("webhook-id", "webhook-timestamp"):
        assert outcome("standard", STANDARD_KEY, BODY,
                       {k: v for k, v in good.items() if k != name}) == missing(name)


def test_slack_needs_both_headers() -> None:
    sent = sign_slack("8f742231b10e8888abcd99yyyzzz85a5", BODY, NOW)
    del sent["X-Slack-Request-Timestamp"]
    assert outcome("slack", "8f742231b10e8888abcd99yyyzzz85a5", BODY, sent) == missing(
        "X-Slack-Request-Timestamp")


@pytest.mark.parametrize(("authorization", "expected"), [
    ("basic " + base64.b64encode("shop:密碼 123".encode()).decode(), ACCEPTED),
    ("Bearer " + base64.b64encode("shop:密碼 123".encode()).decode(), WRONG_LOGIN),
    ("Basic " + base64.b64encode("shoq:密碼 123".encode()).decode(), WRONG_LOGIN),
    ("Basic " + base64.b64encode(b"shop:").decode(), WRONG_LOGIN),
    ("Basic " + base64.b64encode(":密碼 123".encode()).decode(), WRONG_LOGIN),
    ("Basic  " + base64.b64encode("shop:密碼 123".encode()).decode() + " ", ACCEPTED),
    ("Basic !!", WRONG_LOGIN),
    ("Basic", WRONG_LOGIN),
    # Strictly base64: stray characters make it unreadable, not skipped.
    ("Basic !" + base64.b64encode("shop:密碼 123".encode()).decode(), WRONG_LOGIN),
    ("Basic c2hv.cDrlr4bnorwgMTIz", WRONG_LOGIN),  # shop:密碼 123 with a '.' in it
])
def test_basic_login(authorization: str, expected: str | None) -> None:
    assert outcome("basic", "密碼 123", BODY, {"Authorization": authorization},
                   username="shop") == expected


@pytest.mark.parametrize("scheme", list(SENDERS))
def test_a_signature_that_is_not_utf8_is_refused_not_an_error(scheme: str) -> None:
    # aiohttp hands header bytes that are not UTF-8 over as lone surrogates.
    sender = SENDERS[scheme]
    sent = sender.sign(sender.secret, BODY, NOW)
    sent[sender.carrier] = sent[sender.carrier][:-1] + "\udcff"
    assert outcome(scheme, sender.secret, BODY, sent, **sender.settings) == sender.refused


@pytest.mark.parametrize(("scheme", "settings", "carriers"), [
    ("shopify", {}, ("X-Shopify-Hmac-Sha256",)),
    ("line", {}, ("X-Line-Signature",)),
    ("github", {}, ("X-Hub-Signature-256", "X-Hub-Signature")),
    ("stripe", {}, ("Stripe-Signature",)),
    ("slack", {}, ("X-Slack-Signature",)),
    ("standard", {}, ("webhook-signature",)),
    ("basic", {"username": "shop", "header": "X-Api-Key"}, ("Authorization",)),
    ("header", {"header": "X-Api-Key"}, ("X-Api-Key",)),
])
def test_the_headers_each_scheme_says_carry_a_credential(
        scheme: str, settings: dict[str, str], carriers: tuple[str, ...]) -> None:
    config = VerifyConfig.model_validate({"scheme": scheme, "secret": "s", **settings})
    assert credential_headers(config) == carriers


# -- published examples ------------------------------------------------------------------

def test_github_documentation_example() -> None:
    secret, payload = "It's a Secret to Everybody", b"Hello, World!"
    documented = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert "sha256=" + hmac_hex(secret.encode(), payload) == documented
    sent = {"X-Hub-Signature-256": documented}
    assert outcome("github", secret, payload, sent) is ACCEPTED
    assert outcome("github", secret, b"Hello, World?", sent) == NO_MATCH
    assert outcome("github", secret, payload + b"\n", sent) == NO_MATCH
    assert outcome("github", secret, payload[:-1], sent) == NO_MATCH
    assert outcome("github", secret.lower(), payload, sent) == NO_MATCH


SLACK_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
    b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
    b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
    b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id="
    b"398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")


def test_slack_documentation_example() -> None:
    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    sent = {"X-Slack-Signature":
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            "X-Slack-Request-Timestamp": "1531420618"}
    assert sign_slack(secret, SLACK_BODY, 1531420618) == sent
    assert outcome("slack", secret, SLACK_BODY, sent, now=1531420618 + 60) is ACCEPTED
    assert outcome("slack", secret, SLACK_BODY + b"\n", sent, now=1531420618 + 60) == NO_MATCH
    # The same delivery replayed a day later.
    assert outcome("slack", secret, SLACK_BODY, sent, now=1531420618 + 86400) == away(86400)


def test_standard_webhooks_specification_example() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    sent = {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
            "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = b'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}'
    assert "v1," + hmac_b64(key, signed) == sent["webhook-signature"]
    assert outcome("standard", secret, b'{"test": 2432232314}', sent,
                   now=1614265330 + 5) is ACCEPTED
    assert outcome("standard", secret, b'{"test": 2432232315}', sent,
                   now=1614265330 + 5) == NO_MATCH


def test_scheme_settings_are_checked_when_rules_load() -> None:
    with pytest.raises(ValueError, match="header"):
        VerifyConfig.model_validate({"scheme": "header", "secret": "s"})
    with pytest.raises(ValueError, match="user name"):
        VerifyConfig.model_validate({"scheme": "basic", "secret": "s"})
    with pytest.raises(ValueError):
        VerifyConfig.model_validate({"scheme": "rot13", "secret": "s"})
