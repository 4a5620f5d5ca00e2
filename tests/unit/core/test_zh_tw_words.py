"""The Traditional Chinese catalogue uses no English word but product names and the few
technical names tests/support/english_words.py allows (placeholders and templates aside).
The window itself is checked by tests/gui/test_chinese_words.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from support.english_words import english_words

ROOT = Path(__file__).parents[3]
ZH_TW = ROOT / "resources" / "locale" / "zh_TW"
CATALOGUES = [ZH_TW / "LC_MESSAGES" / "bellhop.po", *sorted(ZH_TW.glob("fragments/*.po"))]

# Texts that must keep a few English words, by their English source: what a person types
# or reads exactly so somewhere else. The window never shows most of them.
EXCEPTIONS = {
    # accounts.json and rules.json, edited by hand: their keys and values as written there.
    "the account '{name}' needs a \"kind\" (\"smtp\" or \"google\")": {"kind", "smtp", "google"},
    "'version' must be a whole number": {"version"},
    "the field '{field}' must be true or false, without quotes": {"true", "false"},
    # The command line: a value and a command typed as they are.
    "make the webhook addresses public (none)": {"none"},
    "The secret '{name}' is not in the keychain. Enter it again in Bellhop (or run: "
    "bellhop secret set {name}).": {"bellhop", "secret", "set"},
    # Commands of `bellhop` the templates' messages name, as they are typed.
    "which one (bellhop templates lists them)": {"bellhop", "templates"},
    "no Google account is chosen, and there is none yet: add one under Accounts in the "
    "window, or with: bellhop account import-google NAME KEY.json":
        {"bellhop", "account", "NAME"},
    "{what} is not saved yet. Save it with: bellhop secret set {name}":
        {"bellhop", "secret", "set"},
    "Ready-made rules. Add one with: bellhop rule new --template NAME [--name \"…\"]":
        {"bellhop", "rule", "new"},
    "This address works only on this computer. Services on the internet (Shopify, LINE…) "
    "need the tunnel's public address: connect the tunnel in the window (Accounts), or start "
    "with: bellhop serve --tunnel ngrok": {"bellhop", "serve"},
    # A systemd unit's setting, typed as it is in the unit file.
    "Put it in a file and give that file to Bellhop as a systemd credential named “{file}” "
    "(e.g. in the service's unit: LoadCredential={credential}:/etc/credstore/{credential}) or "
    "as the container secret {folder}/{file}.": {"LoadCredential"},
    "Bellhop reads '{name}' from {path}, which it never changes: remove that file (or its "
    "LoadCredential= line) yourself.": {"LoadCredential"},
    # rules.json, edited by hand: a key and a value as written there.
    "no spreadsheet is chosen: paste its address into this card in the window, or into "
    "\"spreadsheet\" in rules.json.": {"spreadsheet"},
    "Then turn it on: with its switch in the window (Rules), or with \"enabled\": true in "
    "rules.json.": {"enabled", "true"},
    # Where to paste an address on sites whose settings are in English only: their labels.
    "Paste it into the LINE Developers console: your channel → Messaging API → Webhook URL, "
    "turn on “Use webhook”, then press Verify.": {"URL", "Use", "webhook", "Verify"},
    "Paste it into GitHub: the repository's Settings → Webhooks → Add webhook (Payload URL), "
    "with the content type application/json.":
        {"Settings", "Webhooks", "Add", "webhook", "Payload", "URL", "Content", "type"},
    "Paste it into Stripe: Developers → Webhooks → Add endpoint.":
        {"Developers", "Webhooks", "Add", "endpoint"},
    # A package to install on Linux, by its name.
    "No system keychain is available to keep passwords safe. On Linux install and unlock a "
    "keyring such as GNOME Keyring or KWallet (packages gnome-keyring or kwalletmanager), or "
    "choose a keyring backend with the environment variable PYTHON_KEYRING_BACKEND.":
        {"kwalletmanager"},
    # Answers to a sending program, naming what it sent: an HTTP header, SurveyCake's fields.
    "This address only understands “Expect: 100-continue”.": {"Expect"},
    "This address expects SurveyCake's svid and hash fields.": {"svid", "hash"},
    "This address expects SurveyCake's svid and hash fields: point the survey's webhook here, "
    "or turn off “This is a SurveyCake webhook” in this rule's trigger.": {"svid", "hash"},
    "The sender asked for something Bellhop does not do (an “Expect” header other than "
    "100-continue): check the sender's settings.": {"Expect"},
    "This delivery is not from SurveyCake: it has no valid svid and hash fields.":
        {"svid", "hash"},
    # bellhop events, show, retry, replay and rules check: the commands and values a person
    # types, and accounts.json's keys and values, exactly as written.
    "only events whose latest run ended so; refused: deliveries turned away": {"refused"},
    "the event's id (bellhop events lists them)": {"bellhop", "events"},
    "Name the runs to try again (bellhop events --status failed lists them), or use --failed "
    "for every failed run.": {"bellhop", "events", "failed"},
    "Bellhop tries it again the next time it runs (bellhop serve, or the window).":
        {"bellhop", "serve"},
    "There is no event “{id}”. `bellhop events` lists the events Bellhop keeps.":
        {"bellhop", "events"},
    "There is no run or event “{id}”. `bellhop events --status failed` lists the failed ones.":
        {"bellhop", "events", "failed"},
    "Run {run} was not tried again: {why} To run the event again with the current rule: "
    "bellhop replay {event}": {"bellhop", "replay"},
    "Retry from the failed step: bellhop retry {run}": {"bellhop", "retry"},
    "Run again with the current rule: bellhop replay {event}": {"bellhop", "replay"},
    "Check the account “{name}”: its settings are in accounts.json, its password is saved "
    "with: bellhop secret set {name}": {"bellhop", "secret", "set"},
    "Sign in to Google again for the account “{name}” in the window (Accounts), or give it a "
    "service account key with: bellhop account import-google {name} KEY.json":
        {"bellhop", "account"},
    "Turn the tunnel on: bellhop serve --tunnel ngrok (its authtoken saved with: bellhop "
    "secret set ngrok)": {"bellhop", "serve", "secret", "set"},
    "its kind “{kind}” is not one Bellhop knows: “smtp” (email) or “google”.":
        {"smtp", "google"},
    "{field} must be “starttls”, “ssl” or “none”.": {"starttls", "ssl", "none"},
    "“auth” must be “service_account” or “oauth”.": {"auth", "oauth"},
}


def translations(path: Path) -> list[tuple[str, str]]:
    """(English source, translation) of every translated message; plurals give each form."""
    with path.open("rb") as f:
        catalog = read_po(f)
    found = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [(source, text) for text in texts if text]
    return found


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_translations_use_no_english_word_but_product_names(po: Path) -> None:
    left = []
    for source, text in translations(po):
        words = english_words(text, EXCEPTIONS.get(source, set()))
        if words:
            left.append(f"{', '.join(sorted(set(words)))} in {text!r}\n    (English: {source!r})")
    assert not left, f"English words left in {po.relative_to(ROOT)} (translate them, or " \
        "allow them with a reason in tests/support/english_words.py):\n" + "\n".join(left)


def test_every_exception_is_still_needed() -> None:
    """An exception whose text is gone or translated otherwise would hide a new gap."""
    sources = {source: text for source, text in translations(CATALOGUES[0])}
    stale = [source for source, allowed in EXCEPTIONS.items()
             if source not in sources or not set(english_words(sources[source])) & allowed]
    assert not stale, stale


@pytest.mark.parametrize(("text", "words"), [
    ("貼上您的 ngrok authtoken", ["authtoken"]),
    ("關閉：webhook 網址只能在這台電腦上使用。", ["webhook"]),  # written "Webhook"
    ("all：全部條件都成立；any：任一條件成立即可。", ["all", "any"]),
    ("重新執行 Settings…", ["Settings"]),
    ("請按 Save.", ["Save"]),
    ("金額 NT$1,640，檔案 orders.xlsx，欄位 body.total_price", []),
    ("把網址貼到 Shopify 的 Webhook 設定（https://admin.shopify.com/settings）", []),
    ("例如 ~/Documents/orders.xlsx 或 {{ body.total_price | money('NT$', 0) }}", []),
    ("LINE Developers 主控台 › Messaging API › Channel access token", []),
    ("在 {path} 找不到：請用 BELLHOP_HOME 或 --port 指定", []),
    ("說明（&H）", []),
    ("標頭 X-Webhook-Token 不正確", []),
])
def test_what_counts_as_an_english_word(text: str, words: list[str]) -> None:
    assert english_words(text) == words
