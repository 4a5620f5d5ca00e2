"""The policy messages are built with: the standard policy's bytes, with repeated headers
parsed once (core/services/mailheaders.py)."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage

import pytest
from aiosmtplib.email import flatten_message

from bellhop.actions import send_email
from bellhop.core.services import mailheaders
from bellhop.core.services.mailheaders import KEPT, POLICY

DATE = "Sun, 06 Dec 2026 19:54:07 +0800"
LONG_SUBJECT = "訂單 #1042：" + "烏龍茶 2 × NT$820、" * 8 + "請今天出貨 " + "x" * 90
CASES = {
    "plain": (("", "shop@example.com"), [("", "warehouse@example.com")], [], [],
              "Order #1042", "Ship 2 items to Taipei", ""),
    "chinese names, cc, reply-to, long subject": (
        ("茶行 Tea, Ltd.", "shop@example.com"),
        [("倉庫 Lin, Mei", "warehouse@example.com"), ("", "b@example.com")] * 6,
        [("會計", "acct@example.com")], [("客服", "help@example.com")],
        LONG_SUBJECT, "訂單 #1042：2 × 烏龍茶\n請今天出貨。\n", ""),
    "html alternative": (("Shop", "shop@example.com"), [("", "warehouse@example.com")], [], [],
                         "Order #7", "Plain text " + "y" * 120, "<p>訂單 <b>#7</b></p>"),
    "html alone": (("", "shop@example.com"), [("", "warehouse@example.com")], [], [],
                   "", "", "<p>Order</p>"),
}


def sent_bytes(args: tuple, policy: email.policy.EmailPolicy,
               monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The bytes the card hands to the server for `args`, its message built with `policy`
    (Date, Message-ID and the MIME boundary fixed: they differ from message to message)."""
    monkeypatch.setattr(send_email, "POLICY", policy)
    message = send_email._build_message(*args)
    message.replace_header("Date", DATE)
    message.replace_header("Message-ID", "<1042@example.com>")
    if message.is_multipart():
        message.set_boundary("==boundary==")
    return flatten_message(message)


@pytest.mark.parametrize("case", list(CASES))
def test_messages_are_byte_for_byte_what_the_standard_policy_makes(
        case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    standard = sent_bytes(CASES[case], email.policy.default, monkeypatch)
    for _ in range(2):  # the second time from the kept headers
        assert sent_bytes(CASES[case], POLICY, monkeypatch) == standard


def test_a_repeated_header_is_parsed_once_and_shared_safely() -> None:
    first, second = EmailMessage(policy=POLICY), EmailMessage(policy=POLICY)
    for message, subject in ((first, "Order #1"), (second, "Order #2")):
        message["From"] = "茶行 <shop@example.com>"
        message["To"] = "warehouse@example.com, b@example.com"
        message["Subject"] = subject
        message.set_content("訂單")
    assert first["From"] is second["From"]
    assert first["To"] is second["To"]
    assert first["Subject"] is not second["Subject"]
    before = bytes(first)
    assert bytes(second).replace(b"Order #2", b"Order #1") == before
    assert bytes(first) == before  # flattening one message leaves the shared headers as they were
    assert [a.addr_spec for a in second["To"].addresses] == ["warehouse@example.com",
                                                             "b@example.com"]


def test_the_name_is_kept_as_written_and_values_stay_apart() -> None:
    message = EmailMessage(policy=POLICY)
    message["Reply-To"] = "a@example.com"
    message["Cc"] = "a@example.com"
    assert message["Reply-To"].name == "Reply-To" and message["Cc"].name == "Cc"
    assert message["Reply-To"] is not message["Cc"]
    assert bytes(message).startswith(b"Reply-To: a@example.com\nCc: a@example.com\n")


def test_a_line_break_in_a_header_is_still_refused() -> None:
    message = EmailMessage(policy=POLICY)
    with pytest.raises(ValueError):
        message["To"] = "warehouse@example.com\nBcc: spy@example.com"
    assert message["To"] is None


def test_the_kept_headers_are_bounded() -> None:
    for n in range(KEPT * 2):
        EmailMessage(policy=POLICY)["To"] = f"person{n}@example.com"
    registry = POLICY.header_factory
    assert isinstance(registry, mailheaders._ReusingRegistry)
    assert registry._parse_repeating.cache_info().currsize <= KEPT
