"""Signature presets against providers' published examples and vectors made here by hand."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from multidict import CIMultiDict

from bellhop.core.rules import VerifyConfig
from bellhop.core.verify import Rejected, check_delivery

NOW = 1_764_300_000.0


def config(scheme: str, **extra: object) -> VerifyConfig:
    return VerifyConfig.model_validate({"scheme": scheme, "secret": "name-in-keychain", **extra})


def headers(**values: str) -> CIMultiDict[str]:
    return CIMultiDict({k.replace("_", "-"): v for k, v in values.items()})


def hmac_b64(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def hmac_hex(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# -- published examples -------------------------------------------------------------------

def test_github_documentation_example() -> None:
    check_delivery(config("github"), "It's a Secret to Everybody", b"Hello, World!", headers(
        X_Hub_Signature_256="sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
        NOW)


def test_slack_documentation_example() -> None:
    body = (b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
            b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
            b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
            b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id="
            b"398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
    sent = headers(
        X_Slack_Signature="v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        X_Slack_Request_Timestamp="1531420618")
    check_delivery(config("slack"), "8f742231b10e8888abcd99yyyzzz85a5", body, sent,
                   1531420618 + 60)
    with pytest.raises(Rejected) as caught:  # the same delivery replayed a day later
        check_delivery(config("slack"), "8f742231b10e8888abcd99yyyzzz85a5", body, sent,
                       1531420618 + 86400)
    assert "seconds away" in caught.value.reason


def test_standard_webhooks_specification_example() -> None:
    sent = headers(webhook_id="msg_p5jXN8AQM9LWM0D4loKWxJek", webhook_timestamp="1614265330",
                   webhook_signature="v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    check_delivery(config("standard"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                   b'{"test": 2432232314}', sent, 1614265330 + 5)
    with pytest.raises(Rejected):
        check_delivery(config("standard"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                       b'{"test": 2432232315}', sent, 1614265330 + 5)


# -- vectors computed here ------------------------------------------------------------------

BODY = '{"name": "#1042", "note": "請週五前送達"}'.encode()


@pytest.mark.parametrize(("scheme", "header"), [
    ("shopify", "X-Shopify-Hmac-Sha256"), ("line", "X-Line-Signature")])
def test_base64_hmac_schemes(scheme: str, header: str) -> None:
    secret = "shpss_0123456789abcdef"
    good = hmac_b64(secret.encode(), BODY)
    check_delivery(config(scheme), secret, BODY, CIMultiDict({header: good}), NOW)
    check_delivery(config(scheme), secret, BODY, CIMultiDict({header.lower(): good}), NOW)
    for bad_body, sent in [(BODY + b" ", good), (BODY, hmac_b64(b"other", BODY)), (BODY, "")]:
        with pytest.raises(Rejected):
            check_delivery(config(scheme), secret, bad_body, CIMultiDict({header: sent}), NOW)
    with pytest.raises(Rejected) as caught:
        check_delivery(config(scheme), secret, BODY, CIMultiDict(), NOW)
    assert header in caught.value.reason


def test_github_vector_and_wrong_prefix() -> None:
    digest = hmac_hex(b"gh-secret", BODY)
    check_delivery(config("github"), "gh-secret", BODY,
                   headers(X_Hub_Signature_256="sha256=" + digest), NOW)
    with pytest.raises(Rejected):
        check_delivery(config("github"), "gh-secret", BODY,
                       headers(X_Hub_Signature_256="sha1=" + digest), NOW)


def test_stripe_any_v1_may_match_within_tolerance() -> None:
    secret = "whsec_stripe_test"
    t = str(int(NOW) - 20)
    good = hmac_hex(secret.encode(), t.encode() + b"." + BODY)
    rotated = f"t={t},v1={'0' * 64},v1={good},v0=ignored"
    check_delivery(config("stripe"), secret, BODY, headers(Stripe_Signature=rotated), NOW)
    for header in (f"t={t},v1={'0' * 64}", f"v1={good}", "garbage", f"t=soon,v1={good}"):
        with pytest.raises(Rejected):
            check_delivery(config("stripe"), secret, BODY, headers(Stripe_Signature=header), NOW)
    old = str(int(NOW) - 301)
    stale = f"t={old},v1={hmac_hex(secret.encode(), old.encode() + b'.' + BODY)}"
    with pytest.raises(Rejected):
        check_delivery(config("stripe"), secret, BODY, headers(Stripe_Signature=stale), NOW)
    check_delivery(config("stripe", tolerance=600), secret, BODY,
                   headers(Stripe_Signature=stale), NOW)


def test_standard_scheme_with_a_fresh_key_and_rotation() -> None:
    key = b"0123456789abcdef0123456789abcdef"
    secret = "whsec_" + base64.b64encode(key).decode()
    stamp = str(int(NOW))
    signature = hmac_b64(key, b"msg_1." + stamp.encode() + b"." + BODY)
    sent = headers(webhook_id="msg_1", webhook_timestamp=stamp,
                   webhook_signature=f"v1,{hmac_b64(b'old-key', BODY)} v1,{signature}")
    check_delivery(config("standard"), secret, BODY, sent, NOW)
    with pytest.raises(Rejected) as caught:
        check_delivery(config("standard"), "whsec_not base64!", BODY, sent, NOW)
    assert "whsec_" in caught.value.reason


def test_basic_and_header_schemes() -> None:
    auth = "Basic " + base64.b64encode("shop:密碼 123".encode()).decode()
    check_delivery(config("basic", username="shop"), "密碼 123", BODY,
                   headers(Authorization=auth), NOW)
    for wrong in ("Basic " + base64.b64encode(b"shop:nope").decode(), "Bearer x", "Basic !!"):
        with pytest.raises(Rejected):
            check_delivery(config("basic", username="shop"), "密碼 123", BODY,
                           headers(Authorization=wrong), NOW)
    check_delivery(config("header", header="X-Api-Key"), "tok-123", BODY,
                   headers(X_Api_Key="tok-123"), NOW)
    with pytest.raises(Rejected):
        check_delivery(config("header", header="X-Api-Key"), "tok-123", BODY,
                       headers(X_Api_Key="tok-124"), NOW)


def test_scheme_settings_are_checked_when_rules_load() -> None:
    with pytest.raises(ValueError, match="header"):
        VerifyConfig.model_validate({"scheme": "header", "secret": "s"})
    with pytest.raises(ValueError, match="user name"):
        VerifyConfig.model_validate({"scheme": "basic", "secret": "s"})
    with pytest.raises(ValueError):
        VerifyConfig.model_validate({"scheme": "rot13", "secret": "s"})
