"""English words left in a Traditional Chinese text, for the checks that the zh-TW window and
catalogue speak Chinese (tests/gui/test_chinese_words.py, tests/unit/core/test_zh_tw_words.py).

A word is allowed when a reader in Taiwan sees it written the same way everywhere else:
product and company names (the glossary of bellhop.po keeps them as they are), a few
technical names that have no Chinese word and that the services' own zh-TW screens write
in Latin letters, and the names of buttons and pages on other sites that show them only in
English (quoted so a person can find them there). Everything else is a gap to translate.

Text that is not words is taken out first: templates ({{ … }}), {placeholders}, HTML tags,
web and email addresses, and code-like tokens (file names, field paths, environment
variables, money like NT$1,640) — see `without_code`.
"""

from __future__ import annotations

import re

# Product, company and service names: written as their makers write them in Taiwan too.
# "Webhook" always capitalised like this in Chinese text (Shopify's zh-TW admin does too).
PRODUCTS = {
    "Bellhop", "Shopify", "LINE", "Google", "Gmail", "ngrok", "Webhook", "SurveyCake",
    "GitHub", "Stripe", "Slack", "Discord", "Telegram", "Outlook", "Yahoo", "Excel",
    "Linux",
    "apprise",  # the chat card's "other service" addresses are apprise's (its own name)
    "curl",  # "Copy as curl": the program a helper pastes the command into
    "systemd",  # Linux's service manager, which hands a server's secrets to Bellhop
}

# Technical names without a Chinese word; Google's, LINE's and mail providers' zh-TW
# screens write them the same way, so a person recognises them there.
TECHNICAL = {
    "JSON", "CSV", "HTML", "ID", "API", "OAuth",
    "SSL", "TLS", "STARTTLS",  # a mail account's security setting, as providers name it
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",  # request kinds (methods)
    "KB", "MB",  # sizes: "1.5 KB" reads the same in Taiwan
    "Enter", "Tab", "Esc",  # keys, as the keyboard labels them
}

# The language list names each language in itself, so its reader finds it.
LANGUAGES = {"English"}

ALLOWED = PRODUCTS | TECHNICAL | LANGUAGES

# Several words naming one thing on another site or product, quoted so a person finds it
# there: these sites (or these labels on them) are in English only.
PHRASES = (
    "Microsoft Teams", "Microsoft 365", "Office 365", "Yahoo Mail", "Google Cloud",
    "Google Sheets API", "GNOME Keyring", "KWallet",
    "LINE Developers",  # LINE's console: English or Japanese only
    "Messaging API", "Channel access token", "Channel secret",  # labels in that console
    "Hash Key", "IV Key",  # SurveyCake's webhook settings name its two keys so
    "Signing Secret",  # a Slack app's page on api.slack.com
    "Incoming Webhooks",  # api.slack.com, English only, names the page so
    "Standard Webhooks",  # the name of a signing standard (standardwebhooks.com)
    "SMTP AUTH",  # the Microsoft 365 setting an IT person turns on
    "CSV UTF-8",  # the file type in Excel's "Save as" list
    "IAM",  # Google Cloud console's menu "IAM 與管理"
    "Google Workspace",  # Google's name for its business accounts
    "ISO 8601",  # the date format's standard, named so a helper can look it up
)

# A template, also one cut short in a card's summary ("{{ body.total_price | mo…").
_TEMPLATE = re.compile(r"\{\{.*?(?:\}\}|…|$)|\{%.*?(?:%\}|…|$)", re.S)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_TAG = re.compile(r"<[^<>]*>")
_ADDRESS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s，。、）」]*"
                      r"|[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+|@[A-Za-z0-9_]+",
                      re.IGNORECASE)
# A run of letters, digits and code signs holding a digit, an underscore, "--" or a code sign
# before a letter or digit: orders.xlsx, body.total_price, ~/Documents, BELLHOP_HOME, --port,
# NT$1,640, whsec_…, 0912… (a full stop after a word is no code sign: "Save." is a word).
_CODE = re.compile(r"[A-Za-z0-9_.\-/\\$#%~*=+&|]*(?:[0-9_]|--|[./\\$#%~*=+&|](?=[A-Za-z0-9]))"
                   r"[A-Za-z0-9_.\-/\\$#%~*=+&|]*")
# How an ID or a token begins (U…, AA…), or a name cut short in a summary (discord-we…).
_PREFIX = re.compile(r"\b(?:[A-Z]{1,2}|[a-z][a-z0-9_-]*)…")
# A name made to be typed, in lower case with dashes: gnome-keyring, line-channel-token.
_SLUG = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")
# An HTTP header's name (X-Webhook-Token, Content-Type): what a sender's help page names.
_HEADER = re.compile(r"\b[A-Z][a-z]*(?:-[A-Z][A-Za-z]*)+\b")
# A menu's keyboard accelerator after a translated name: 說明（&H）, shown as 說明（H）.
_ACCELERATOR = re.compile(r"[（(]&?[A-Z][)）]")
_OPTION = re.compile(r"(?<![\w-])-[A-Za-z]\b")  # a command's option: curl -H
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def without_code(text: str, *, placeholders: bool = True) -> str:
    """`text` with templates, tags, addresses and code-like tokens blanked out."""
    text = _TEMPLATE.sub(" ", text)
    if placeholders:
        text = _PLACEHOLDER.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _ADDRESS.sub(" ", text)
    for phrase in PHRASES:
        text = re.sub(rf"\b{re.escape(phrase)}\b", " ", text)
    for pattern in (_HEADER, _ACCELERATOR, _PREFIX, _SLUG, _OPTION):
        text = pattern.sub(" ", text)
    return _CODE.sub(lambda m: " " if re.search(r"[A-Za-z0-9]", m.group()) else m.group(), text)


def english_words(text: str, allowed: set[str] | frozenset[str] = frozenset(), *,
                  placeholders: bool = True) -> list[str]:
    """The Latin-letter words of `text` that are neither allowed everywhere nor in `allowed`."""
    return [word for word in _WORD.findall(without_code(text, placeholders=placeholders))
            if word not in ALLOWED and word not in allowed]
