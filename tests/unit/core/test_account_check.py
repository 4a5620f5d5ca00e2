"""What an accounts.json entry needs before a step can use it, one sentence per mistake."""

from __future__ import annotations

from bellhop.core.platform.account_check import account_problems

GOOD_MAIL = {"kind": "smtp", "host": "smtp.example.com", "port": 587, "security": "starttls",
             "username": "bot", "from": "Shop <shop@example.com>", "per_minute": 20}


def test_good_accounts_have_no_problems() -> None:
    assert account_problems(GOOD_MAIL) == []
    assert account_problems({"kind": "smtp", "host": "h", "username": "a@b.c"}) == []
    assert account_problems({"kind": "google", "auth": "service_account",
                             "client_email": "bot@p.iam.gserviceaccount.com",
                             "token_uri": "https://oauth2.googleapis.com/token"}) == []
    assert account_problems({"kind": "google", "auth": "oauth", "client_id": "x"}) == []


def test_mail_account_mistakes_name_the_field() -> None:
    assert account_problems({**GOOD_MAIL, "host": " "}) == [
        "Mail server (“host”) is missing: the mail server's name, e.g. mail.example.com."]
    assert account_problems({**GOOD_MAIL, "port": "587"}) == [
        "Port (“port”) must be a whole number from 1 to 65535, without quotes."]
    assert account_problems({**GOOD_MAIL, "port": 70000}) == account_problems(
        {**GOOD_MAIL, "port": True})
    assert account_problems({**GOOD_MAIL, "security": "TLS"}) == [
        "Security (“security”) must be “starttls”, “ssl” or “none”."]
    assert account_problems({**GOOD_MAIL, "security": "SSL"}) == []  # as the card reads it
    assert account_problems({**GOOD_MAIL, "from": "", "username": "bot"}) == [
        "Your email address (“from”) is missing: the address the emails come from."]
    assert account_problems({**GOOD_MAIL, "username": 5}) == [
        "Username (“username”) must be text in double quotes."]
    assert account_problems({**GOOD_MAIL, "per_minute": -1}) == [
        "Messages a minute (“per_minute”) must be a whole number, 0 or more, without quotes."]


def test_google_and_unknown_kinds() -> None:
    assert account_problems({"kind": "google", "auth": "password"}) == [
        "“auth” must be “service_account” or “oauth”."]
    assert account_problems({"kind": "google", "auth": "oauth"}) == [
        "“client_id” is missing: sign in with Google again in the window."]
    assert account_problems({"kind": "google", "api_base": "sheets.example"}) == [
        "“api_base” must be a web address starting with https://."]
    assert account_problems({"kind": "line"}) == [
        "its kind “line” is not one Bellhop knows: “smtp” (email) or “google”."]
