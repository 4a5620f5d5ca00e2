"""`bellhop templates` and `bellhop rule new --template` as a person types them.

Real `bellhop` processes on a temporary data home; the Chinese cases need the
compiled catalogue (`make translations`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

from bellhop.core.gallery.starters import STARTERS

from .conftest import Bellhop, new_token, post, webhook_rule

SMTP = {"kind": "smtp", "host": "127.0.0.1", "port": 2525, "security": "none",
        "username": "bot", "from": "Shop <shop@example.com>"}
ADDRESS = re.compile(r"(?:Its webhook address|它的 Webhook 網址)：?:? ?"
                     r"(http://127\.0\.0\.1:8765/hooks/([A-Za-z0-9_-]{22,}))")


def rules(bellhop: Bellhop) -> list[dict[str, Any]]:
    data = json.loads((bellhop.home / "rules.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and set(data) == {"version", "rules"}
    return list(data["rules"])


def chinese(bellhop: Bellhop) -> dict[str, str]:
    return {**bellhop.env, "LANG": "zh_TW.UTF-8"}


def test_templates_lists_each_one_with_what_it_does_and_needs(bellhop: Bellhop) -> None:
    done = bellhop.cli("templates")
    assert done.returncode == 0 and done.stderr == ""
    out = done.stdout
    assert out.startswith("Ready-made rules. Add one with: bellhop rule new --template NAME")
    for starter in STARTERS:
        assert f"\n{starter.key} — {starter.title}\n    {starter.description}\n" in out
    shopify_sheet = out.split("\nshopify_sheet — ")[1].split("\n\n")[0]
    assert shopify_sheet.endswith("    It needs:\n      • an email account to send from\n"
                                  "      • a Google account\n"
                                  "      • a Google spreadsheet to add the rows to")
    assert "the channel access token of your LINE official account" in out
    assert out.rstrip().endswith("blank — Blank rule\n    Start from an empty rule and add the "
                                 "cards yourself.\n    It needs nothing more.")
    assert not (bellhop.home / "rules.json").exists()


def test_templates_speak_the_language_of_the_system_or_the_settings(bellhop: Bellhop) -> None:
    by_system = bellhop.cli("templates", env=chinese(bellhop))
    assert by_system.returncode == 0
    assert by_system.stdout.startswith("現成的規則範本。")
    assert "shopify — Shopify 訂單 → 電子郵件＋試算表檔案\n" in by_system.stdout
    assert "Documents/Bellhop/訂單.xlsx" in by_system.stdout
    assert "      • 一個用來寄信的電子郵件帳號\n" in by_system.stdout
    assert "It needs" not in by_system.stdout
    (bellhop.home / "settings.json").write_text('{"version": 1, "language": "zh_TW"}',
                                                encoding="utf-8")
    assert bellhop.cli("templates").stdout == by_system.stdout  # LANG is C here
    (bellhop.home / "settings.json").write_text('{"version": 1, "language": "en"}',
                                                encoding="utf-8")
    assert bellhop.cli("templates", env=chinese(bellhop)).stdout.startswith("Ready-made rules.")


def test_rule_new_adds_each_template_off_until_its_problems_are_fixed(
        bellhop: Bellhop) -> None:
    bellhop.write_accounts({"office": SMTP})  # one email account: the rule uses it
    made: dict[str, tuple[dict[str, Any], str]] = {}
    for starter in STARTERS:
        done = bellhop.cli("rule", "new", "--template", starter.key)
        assert done.returncode == 0, done.stderr
        rule = rules(bellhop)[-1]
        made[starter.key] = rule, done.stdout
        assert done.stdout.startswith(f"Added the rule “{rule['name']}” from the template "
                                      f"{starter.key}.\n")
        found = ADDRESS.search(done.stdout)
        assert found is not None and found.group(2) == rule["trigger"]["token"], done.stdout
        assert "works only on this computer" in done.stdout
        off = "It stays off until these are fixed:" in done.stdout
        assert rule["enabled"] is not off
    assert [rule["name"] for rule, _ in made.values()] == [
        "Shopify orders to the warehouse", "Website messages by email",
        "Shopify orders to the warehouse and the sheet", "SurveyCake answers",
        "LINE auto reply: opening hours", "GitHub pushes to Discord", "Stripe payments",
        "My rule"]
    on = [key for key, (rule, _) in made.items() if rule["enabled"]]
    assert on == ["shopify", "website_form", "blank"]
    shopify, said = made["shopify"]
    assert shopify["steps"][1]["account"] == "office"
    assert shopify["steps"][1]["to"] == "shop@example.com"
    assert shopify["steps"][2]["path"] == "~/Documents/Bellhop/orders.xlsx"
    assert "It is on: it runs for every delivery to its address." in said
    sheet, said = made["shopify_sheet"]
    assert sheet["steps"][0]["account"] == "office" and sheet["steps"][1]["account"] == ""
    assert said.split("\n")[1:5] == [
        "It stays off until these are fixed:",
        "  • Step 2 (Add a row to Google Sheets): no Google account is chosen, and there is "
        "none yet: add one under Accounts in the window, or with: bellhop account "
        "import-google NAME KEY.json",
        "  • Step 2 (Add a row to Google Sheets): no spreadsheet is chosen: paste its address "
        "into this card in the window, or into \"spreadsheet\" in rules.json.",
        "Then turn it on: with its switch in the window (Rules), or with \"enabled\": true in "
        "rules.json."]
    line, said = made["line_keyword"]
    assert (f"  • Trigger: the channel secret of your LINE official account is not saved yet. "
            f"Save it with: bellhop secret set {line['trigger']['verify']['secret']}\n") in said
    assert "bellhop secret set line-channel-token" in said
    surveycake, said = made["surveycake"]
    assert f"bellhop secret set {surveycake['trigger']['surveycake']['hash_key']}" in said
    assert "\n  • Trigger: " in said and said.index("Trigger:") < said.index("Step 1")
    assert "the webhook address or token of your Discord chat is not saved yet" in \
        made["github_discord"][1]
    assert len({rule["trigger"]["token"] for rule in rules(bellhop)}) == len(STARTERS)


def test_rule_new_in_chinese_makes_the_chinese_rule_and_says_so(bellhop: Bellhop) -> None:
    done = bellhop.cli("rule", "new", "--template", "shopify", env=chinese(bellhop))
    assert done.returncode == 0, done.stderr
    rule = rules(bellhop)[0]
    assert rule["name"] == "Shopify 訂單通知倉庫" and rule["enabled"] is False
    assert (rule["steps"][2]["path"], rule["steps"][2]["sheet"]) == \
        ("~/Documents/Bellhop/訂單.xlsx", "訂單")
    lines = done.stdout.splitlines()
    assert lines[0] == "已從範本 shopify 新增規則「Shopify 訂單通知倉庫」。"
    assert lines[1] == "修正下列問題之前，這條規則會保持關閉："
    assert lines[2].startswith("  • 第 2 步（寄送電子郵件）：尚未選擇電子郵件帳號")
    assert lines[3] == "  • 第 2 步（寄送電子郵件）：欄位「收件人」是空的"
    assert f"它的 Webhook 網址：http://127.0.0.1:8765/hooks/{rule['trigger']['token']}" in lines


def test_unknown_templates_and_names_taken_change_nothing(bellhop: Bellhop) -> None:
    unknown = bellhop.cli("rule", "new", "--template", "shopfy")
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert unknown.stderr.strip() == (
        "There is no template called “shopfy”. Did you mean “shopify”? The templates are: "
        "shopify, website_form, shopify_sheet, surveycake, line_keyword, github_discord, "
        "stripe_sheet, blank.")
    assert "Traceback" not in unknown.stderr
    assert not (bellhop.home / "rules.json").exists()

    first = bellhop.cli("rule", "new", "--template", "blank", "--name", "Orders")
    assert first.returncode == 0, first.stderr
    before = (bellhop.home / "rules.json").read_bytes()
    clash = bellhop.cli("rule", "new", "--template", "website-form", "--name", " orders ")
    assert clash.returncode == 1
    assert clash.stderr.strip() == ("There is already a rule called “orders”. Choose another "
                                    "name with --name.")
    empty = bellhop.cli("rule", "new", "--template", "blank", "--name", "  ")
    assert empty.returncode == 1 and "The rule's name is empty." in empty.stderr
    assert (bellhop.home / "rules.json").read_bytes() == before
    numbered = [bellhop.cli("rule", "new", "--template", "blank") for _ in range(2)]
    assert all(done.returncode == 0 for done in numbered)
    assert [rule["name"] for rule in rules(bellhop)] == ["Orders", "My rule", "My rule (2)"]
    no_template = bellhop.cli("rule", "new")
    assert no_template.returncode == 2 and "--template" in no_template.stderr


def test_a_broken_rules_file_is_left_as_it_is(bellhop: Bellhop) -> None:
    text = '{"version": 1, "rules": [\n  {"id": "r1"} {"id": "r2"}\n]}\n'
    (bellhop.home / "rules.json").write_text(text, encoding="utf-8")
    done = bellhop.cli("rule", "new", "--template", "blank")
    assert done.returncode == 1
    assert done.stderr.strip() == ("rules.json, line 2, column 16: a comma is missing before "
                                   "this. Fix rules.json first; nothing was changed.")
    assert (bellhop.home / "rules.json").read_text(encoding="utf-8") == text
    assert [p.name for p in bellhop.home.iterdir()] == ["rules.json"]


def test_a_running_bellhop_takes_the_new_rule_up(bellhop: Bellhop) -> None:
    bellhop.write_accounts({"office": SMTP})
    bellhop.write_rules([webhook_rule("r1", "Existing", new_token(), [])])
    served = bellhop.serve()
    served.wait_stdout("Existing →")
    done = bellhop.cli("rule", "new", "--template", "website_form")
    assert done.returncode == 0, done.stderr
    token = rules(bellhop)[-1]["trigger"]["token"]
    served.wait_stdout("rules.json changed: 2 rules in use.")
    status, answer = post(served.port, token, b'{"name": "Mei"}')
    assert status == 202 and answer["event_id"]
    assert [rule["name"] for rule in rules(bellhop)] == ["Existing", "Website messages by email"]


def test_the_commands_never_load_qt(bellhop: Bellhop) -> None:
    """They work where Qt is not installed (a server): the gallery lives in the core."""
    code = ("import sys; from bellhop.cli import main; "
            "codes = [main(['templates']), main(['rule', 'new', '--template', 'shopify'])]; "
            "print(codes, sorted(m for m in sys.modules if m.startswith(('PySide6', "
            "'shiboken'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          encoding="utf-8", env=bellhop.env, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[0, 0] []"
