"""The gallery without the window: each language's own files, tabs and columns, what a
template needs, the new rule's name, and what keeps it from running, in words.

The Chinese cases need the compiled catalogue (`make translations`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bellhop.actions.registry import default_registry
from bellhop.core.errors import ConfigError
from bellhop.core.gallery import adding
from bellhop.core.gallery.adding import (
    NameTaken,
    UnknownTemplate,
    add_from_template,
    choose_name,
    find_starter,
    hook_address,
)
from bellhop.core.gallery.needs import missing_for_new_rule, needs_in_words
from bellhop.core.gallery.starters import STARTERS, new_rule
from bellhop.core.gallery.templates import Fill
from bellhop.core.i18n import set_language
from bellhop.core.platform.settings import Settings

REGISTRY = default_registry()
SMTP = {"kind": "smtp", "host": "smtp.example.com", "port": 587, "security": "starttls",
        "username": "shop@example.com", "from": "Shop <shop@example.com>"}
GOOGLE = {"kind": "google", "auth": "service_account", "client_email": "robot@x.iam.example"}
FILL = Fill(account="office", address="shop@example.com", google="google")


def made_in(language: str, key: str) -> dict[str, Any]:
    set_language(language)
    return new_rule(find_starter(key), key, FILL)


def destinations(raw: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(file or 'Google', tab, column names) of every step that writes rows."""
    found = []
    for step in raw["steps"]:
        if step["type"] == "append_file":
            found.append((step["path"], step["sheet"], list(step["columns"])))
        elif step["type"] == "append_sheet":
            found.append(("Google", step["sheet"], list(step["columns"])))
    return found


WRITERS = [s.key for s in STARTERS if destinations(new_rule(s, s.key, FILL))]


def test_templates_that_write_rows_are_the_ones_expected() -> None:
    assert WRITERS == ["shopify", "shopify_sheet", "surveycake", "stripe_sheet"]


@pytest.mark.parametrize("key", WRITERS)
def test_each_language_writes_its_own_file_or_tab_with_its_own_columns(key: str) -> None:
    """A file or tab holds one header row: Chinese columns never go under English ones."""
    english, chinese = destinations(made_in("en", key)), destinations(made_in("zh_TW", key))
    assert len(english) == len(chinese) > 0
    for (en_file, en_tab, en_columns), (zh_file, zh_tab, zh_columns) in zip(
            english, chinese, strict=True):
        assert (en_file, en_tab) != (zh_file, zh_tab)
        assert en_columns != zh_columns


def test_the_shopify_template_writes_orders_or_訂單() -> None:
    english = made_in("en", "shopify")["steps"][2]
    assert (english["path"], english["sheet"]) == ("~/Documents/Bellhop/orders.xlsx", "Orders")
    assert list(english["columns"]) == ["Order", "Date", "Customer", "Total"]
    chinese = made_in("zh_TW", "shopify")["steps"][2]
    assert (chinese["path"], chinese["sheet"]) == ("~/Documents/Bellhop/訂單.xlsx", "訂單")
    assert list(chinese["columns"]) == ["訂單編號", "日期", "顧客", "總金額"]
    assert [next(step["sheet"] for step in made_in("zh_TW", key)["steps"]
                 if step["type"] == "append_sheet")
            for key in ("shopify_sheet", "surveycake", "stripe_sheet")] == \
        ["訂單", "問卷回覆", "付款紀錄"]


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_the_description_names_the_file_the_rule_writes(language: str) -> None:
    path = made_in(language, "shopify")["steps"][2]["path"]
    assert Path(path).name in find_starter("shopify").blurb()


def test_what_each_template_needs_is_read_from_its_cards() -> None:
    set_language("en")
    needs = {s.key: needs_in_words(new_rule(s, s.key), REGISTRY) for s in STARTERS}
    email, google, sheet = ("an email account to send from", "a Google account",
                            "a Google spreadsheet to add the rows to")
    assert needs == {
        "shopify": [email],
        "website_form": [email],
        "shopify_sheet": [email, google, sheet],
        "surveycake": ["the Hash Key of your SurveyCake survey",
                       "the IV Key of your SurveyCake survey", google, sheet, email],
        "line_keyword": ["the channel secret of your LINE official account",
                         "the channel access token of your LINE official account"],
        "github_discord": ["the webhook address or token of your Discord chat"],
        "stripe_sheet": [email, google, sheet],
        "blank": [],
    }


def all_saved(name: str) -> bool:
    return True


def test_a_rule_with_its_accounts_lacks_only_the_spreadsheet() -> None:
    raw = new_rule(find_starter("shopify_sheet"), "x", FILL)
    accounts = {"office": SMTP, "google": GOOGLE}
    assert missing_for_new_rule(raw, REGISTRY, accounts, all_saved) == [
        "Step 2 (Add a row to Google Sheets): no spreadsheet is chosen: paste its address "
        "into this card in the window, or into \"spreadsheet\" in rules.json."]


def test_accounts_not_chosen_are_said_with_what_to_do() -> None:
    raw = new_rule(find_starter("shopify_sheet"), "x")  # no account could be filled in
    none_yet = missing_for_new_rule(raw, REGISTRY, {}, all_saved)
    assert none_yet[0].startswith("Step 1 (Send email): no email account is chosen, and "
                                  "there is none yet: add one under Accounts")
    assert "Step 1 (Send email): the field 'To' is empty" in none_yet
    assert any(p.startswith("Step 2 (Add a row to Google Sheets): no Google account is "
                            "chosen") and "bellhop account import-google" in p
               for p in none_yet)
    several = missing_for_new_rule(raw, REGISTRY, {"b-mail": SMTP, "a-mail": SMTP}, all_saved)
    assert "Step 1 (Send email): choose the email account to send with: a-mail, b-mail." \
        in several
    unknown = missing_for_new_rule(raw, REGISTRY, None, all_saved)
    assert "Step 1 (Send email): no account is chosen." in unknown
    # The steps' problems come card by card, in order.
    steps = [p.split(":")[0] for p in none_yet]
    assert steps == sorted(steps)


def test_other_problems_of_the_rule_are_kept_in_card_order() -> None:
    raw = new_rule(find_starter("shopify_sheet"), "x", FILL)
    raw["steps"][0]["account"] = "ghost"
    raw["steps"][1]["columns"] = {" ": "{{ body.name }}"}
    found = missing_for_new_rule(raw, REGISTRY, {"google": GOOGLE}, all_saved)
    assert found[0] == ("Step 1 (Send email): Email account: there is no email account called "
                        "'ghost'. Add it under Accounts, or choose another.")
    assert found[1].startswith("Step 2 (Add a row to Google Sheets): no spreadsheet")
    assert "every column needs a header name" in found[2]


def test_secrets_not_saved_name_the_command_that_saves_them() -> None:
    raw = new_rule(find_starter("line_keyword"), "x")
    signing = raw["trigger"]["verify"]["secret"]
    found = missing_for_new_rule(raw, REGISTRY, {}, lambda name: name == "line-channel-token")
    assert found == [f"Trigger: the channel secret of your LINE official account is not saved "
                     f"yet. Save it with: bellhop secret set {signing}"]
    assert signing == f"rule-{raw['id']}-signing"
    both = missing_for_new_rule(raw, REGISTRY, {}, lambda name: False)
    assert both[1] == ("Step 2 (Reply on LINE): the channel access token of your LINE official "
                       "account is not saved yet. Save it with: bellhop secret set "
                       "line-channel-token")


def test_problems_in_chinese() -> None:
    set_language("zh_TW")
    raw = new_rule(find_starter("shopify"), "x")
    found = missing_for_new_rule(raw, REGISTRY, {}, all_saved)
    assert found[0].startswith("第 2 步（寄送電子郵件）：尚未選擇電子郵件帳號")
    assert found[1] == "第 2 步（寄送電子郵件）：欄位「收件人」是空的"


def test_template_names_ignore_case_and_dashes_and_unknown_ones_list_them() -> None:
    assert find_starter(" Shopify-Sheet ").key == "shopify_sheet"
    with pytest.raises(UnknownTemplate) as close:
        find_starter("shopfy")
    assert "Did you mean “shopify”?" in close.value.message
    with pytest.raises(UnknownTemplate) as far:
        find_starter("zzz")
    assert far.value.message == (
        "There is no template called “zzz”. The templates are: shopify, website_form, "
        "shopify_sheet, surveycake, line_keyword, github_discord, stripe_sheet, blank.")


def test_names_are_numbered_unless_the_person_chose_one() -> None:
    starter = find_starter("website_form")
    assert choose_name(starter, None, []) == "Website messages by email"
    taken = ["Website messages by email", "website messages  by EMAIL (2)"]
    assert choose_name(starter, None, taken) == "Website messages by email (3)"
    assert choose_name(starter, "  Contact   form ", taken) == "Contact form"
    with pytest.raises(NameTaken) as clash:
        choose_name(starter, "WEBSITE messages by email", taken)
    assert clash.value.message == ("There is already a rule called “WEBSITE messages by email”. "
                                   "Choose another name with --name.")
    with pytest.raises(ConfigError, match="empty"):
        choose_name(starter, "   ", taken)
    with pytest.raises(ConfigError, match="at most 200"):
        choose_name(starter, "x" * 201, taken)


def test_the_address_is_the_local_one_unless_a_reserved_domain_is_set() -> None:
    assert hook_address(Settings(), "tok") == ("http://127.0.0.1:8765/hooks/tok", False)
    assert hook_address(Settings(host="0.0.0.0", port=9000), "tok") == \
        ("http://127.0.0.1:9000/hooks/tok", False)
    reserved = Settings(tunnel="ngrok", ngrok_domain="https://shop.ngrok.app/")
    assert hook_address(reserved, "tok") == ("https://shop.ngrok.app/hooks/tok", True)
    assert hook_address(Settings(ngrok_domain="shop.ngrok.app"), "tok")[1] is False


def rules_in(home: Path) -> list[dict[str, Any]]:
    data = json.loads((home / "rules.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    return list(data["rules"])


def test_adding_keeps_the_other_rules_and_the_format(home: Path) -> None:
    mine = {"id": "r1", "name": "Mine", "enabled": True, "steps": [],
            "trigger": {"type": "webhook", "token": "t" * 22, "methods": ["POST"]}}
    (home / "rules.json").write_text(json.dumps({"version": 1, "rules": [mine]}),
                                     encoding="utf-8")
    (home / "accounts.json").write_text(json.dumps({"version": 1, "accounts": {
        "office": SMTP}}), encoding="utf-8")
    added = add_from_template(home, REGISTRY, find_starter("website_form"), None, all_saved)
    assert added.problems == [] and added.raw["enabled"] is True
    assert added.raw["steps"][0]["account"] == "office"
    assert added.raw["steps"][0]["to"] == "shop@example.com"
    assert rules_in(home) == [mine, added.raw]
    again = add_from_template(home, REGISTRY, find_starter("website_form"), None, all_saved)
    assert again.raw["name"] == "Website messages by email (2)"
    assert again.raw["trigger"]["token"] != added.raw["trigger"]["token"]


def test_a_rules_file_with_a_mistake_is_left_as_it_is(home: Path) -> None:
    broken = b'{"version": 1, "rules": [\n  {"id": "r1"} {"id": "r2"}\n]}\n'
    (home / "rules.json").write_bytes(broken)
    with pytest.raises(ConfigError) as refused:
        add_from_template(home, REGISTRY, find_starter("blank"), None, all_saved)
    assert refused.value.message.startswith(
        "rules.json, line 2, column 16: a comma is missing before this.")
    assert refused.value.message.endswith("Fix rules.json first; nothing was changed.")
    assert (home / "rules.json").read_bytes() == broken


def test_unreadable_accounts_keep_the_new_rule_off_and_say_why(home: Path) -> None:
    (home / "accounts.json").write_text("{oops", encoding="utf-8")
    added = add_from_template(home, REGISTRY, find_starter("website_form"), None, all_saved)
    assert added.raw["enabled"] is False
    assert added.problems[-1].startswith("The accounts cannot be read now: accounts.json, "
                                         "line 1")
    assert rules_in(home) == [added.raw]


def test_a_save_by_the_window_meanwhile_is_not_written_over(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rules.json changed between reading and writing: read it again, keep both."""
    window_rule = {"id": "w", "name": "From the window", "enabled": True, "steps": [],
                   "trigger": {"type": "webhook", "token": "w" * 22, "methods": ["POST"]}}
    read = adding._read_rules
    calls = []

    def read_then_window_saves(path: Path) -> Any:
        found = read(path)
        calls.append(path)
        if len(calls) == 1:
            path.write_text(json.dumps({"version": 1, "rules": [window_rule]}),
                            encoding="utf-8")
        return found

    monkeypatch.setattr(adding, "_read_rules", read_then_window_saves)
    added = add_from_template(home, REGISTRY, find_starter("blank"), None, all_saved)
    assert len(calls) == 2
    assert rules_in(home) == [window_rule, added.raw]
