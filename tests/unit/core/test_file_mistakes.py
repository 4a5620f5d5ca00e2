"""A mistake in rules.json or accounts.json never stops the rules that were running.

The last good rules and accounts keep working, the file stays where it is, the
mistake is told with its line and column, and tokens of rules that cannot be
read answer 503 (senders try again), never 404.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import aiohttp
from enginekit import Probe, collect, make_rule, start_app

from bellhop.actions import filter as filter_card
from bellhop.actions import send_email
from bellhop.core.cards import Registry
from bellhop.core.events import EngineEvent, FileFixed, FileProblemFound, RulesChanged
from bellhop.core.platform import paths
from bellhop.core.running.rules import new_token, save_rules
from bellhop.service import Bellhop


async def post(url: str, body: dict[str, Any] | None = None) -> int:
    async with aiohttp.ClientSession() as http, http.post(url, json=body or {"n": 1}) as resp:
        return resp.status


def touch_later(path: Path) -> None:
    """Make the file's mtime differ from the last one read (the watcher compares them)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def break_file(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    touch_later(path)


async def test_a_typo_while_running_keeps_the_last_good_rules(home: Path) -> None:
    probe = Probe()
    good = make_rule([{"type": "probe", "text": "{{ body.n }}"}])
    app = await start_app(home, [good], probe)
    seen, finished = collect(app)
    try:
        assert app.engine is not None
        url = app.hook_url(app.engine.rules[0])
        added_token = new_token()
        rules_file = paths.rules_file(home)
        # A rule added by hand with a missing comma: its token is in the file all the same.
        broken = (
            '{"version": 1, "rules": [\n'
            f'  {json.dumps(good)},\n'
            '  {"id": "r2" "name": "New",\n'
            f'   "trigger": {{"type": "webhook", "token": "{added_token}"}}}}\n'
            ']}\n')
        break_file(rules_file, broken)

        kept = app.reload_rules()

        assert [rule.id for rule in kept] == ["r1"] and app.engine.rules[0].available
        assert rules_file.read_text(encoding="utf-8") == broken  # untouched
        assert sorted(p.name for p in home.iterdir() if p.name.startswith("rules")) == [
            "rules.json"]
        message = app.file_problems["rules.json"]
        assert message == ("rules.json, line 3, column 15: a comma is missing before this. "
                           "Bellhop keeps running the rules it had until the file is fixed.")
        told = [e for e in seen if isinstance(e, FileProblemFound)]
        assert [(t.file, t.line, t.column) for t in told] == [("rules.json", 3, 15)]
        assert not any(isinstance(e, RulesChanged) for e in seen)

        assert await post(url, {"n": 7}) == 202  # the last good rule still runs
        await finished(1)
        assert probe.calls[0]["text"] == "7"
        base = url.rsplit("/", 1)[0]
        assert await post(f"{base}/{added_token}") == 503  # named in the file: try later
        assert await post(f"{base}/{new_token()}") == 404  # named nowhere

        # Reading it again does not tell again.
        app.reload_rules()
        assert len([1 for e in seen if isinstance(e, FileProblemFound)]) == 1

        fixed = make_rule([{"type": "probe", "text": "new {{ body.n }}"}], rule_id="r2")
        fixed["trigger"]["token"] = added_token
        save_rules(rules_file, [good, fixed])
        touch_later(rules_file)
        app.reload_rules()
        assert "rules.json" not in app.file_problems
        assert [e.file for e in seen if isinstance(e, FileFixed)] == ["rules.json"]
        assert await post(f"{base}/{added_token}", {"n": 8}) == 202
        await finished(2)
        assert probe.calls[1]["text"] == "new 8"
    finally:
        await app.stop()


async def test_the_watcher_survives_a_broken_file_and_picks_up_the_fix(home: Path) -> None:
    probe = Probe()
    good = make_rule([{"type": "probe"}])
    app = await start_app(home, [good], probe)
    seen, _ = collect(app)
    try:
        rules_file = paths.rules_file(home)
        break_file(rules_file, '{"version": 1, "rules": [')

        async def told(kind: type[EngineEvent]) -> None:
            while not any(isinstance(event, kind) for event in seen):
                await asyncio.sleep(0.05)

        await asyncio.wait_for(told(FileProblemFound), 15)
        assert app.engine is not None and [r.id for r in app.engine.rules] == ["r1"]
        later = make_rule([{"type": "probe"}], rule_id="r2")
        save_rules(rules_file, [good, later])
        touch_later(rules_file)
        await asyncio.wait_for(told(RulesChanged), 15)
        assert [r.id for r in app.engine.rules] == ["r1", "r2"]
        assert await post(app.hook_url(app.engine.rules[1])) == 202
    finally:
        await app.stop()


async def test_a_file_unreadable_at_start_is_left_in_place_and_its_tokens_answer_503(
        home: Path) -> None:
    token = new_token()
    text = '{"version": 1, "rules": [{"id": "r1", "name": "Orders",\n' \
           f'  "trigger": {{"type": "webhook", "token": "{token}"}},\n' \
           '  "steps": [}\n'
    paths.rules_file(home).write_text(text, encoding="utf-8")
    probe = Probe()
    app = Bellhop(home, Registry([filter_card.ACTION, probe.action()]))
    await app.start("127.0.0.1", 0)
    try:
        assert app.engine is not None and app.engine.rules == []
        assert paths.rules_file(home).read_text(encoding="utf-8") == text
        assert [p.name for p in home.iterdir() if p.name.startswith("rules")] == ["rules.json"]
        [notice] = app.notices
        assert notice.startswith("rules.json, line 3, column 13: a value is missing here")
        assert "started without the rules in it" in notice
        assert await post(f"{app.receiver.base_url}/hooks/{token}") == 503  # type: ignore
    finally:
        await app.stop()


async def test_a_mistyped_switch_makes_the_rule_unavailable_and_answer_503(home: Path) -> None:
    probe = Probe()
    rule = make_rule([{"type": "probe"}])
    rule["enabled"] = "no"
    app = await start_app(home, [rule], probe)
    try:
        assert app.engine is not None
        [loaded] = app.engine.rules
        assert not loaded.available
        assert loaded.problems == [
            "Rule: the field 'enabled' must be true or false, without quotes"]
        assert await post(app.hook_url(loaded)) == 503
    finally:
        await app.stop()


SMTP_ACCOUNT = {"kind": "smtp", "host": "127.0.0.1", "port": 2525, "security": "none",
                "username": "", "from": "shop@example.com"}


def mail_rule() -> dict[str, Any]:
    return make_rule([{"type": "send_email", "account": "office", "to": "a@example.com",
                       "subject": "hi", "body": "x"}])


async def mail_app(home: Path) -> Bellhop:
    app = Bellhop(home, Registry([filter_card.ACTION, send_email.ACTION]))
    await app.start("127.0.0.1", 0)
    return app


async def test_a_step_naming_a_missing_account_is_a_problem_when_rules_load(home: Path) -> None:
    save_rules(paths.rules_file(home), [mail_rule()])
    app = await mail_app(home)
    try:
        assert app.engine is not None
        [loaded] = app.engine.rules
        assert loaded.problems == [
            "Step 1 (Send email): Email account: there is no email account called 'office'. "
            "Add it under Accounts, or choose another."]
        assert await post(app.hook_url(loaded)) == 503

        app.set_account("office", {**SMTP_ACCOUNT, "kind": "google"})
        [loaded] = app.engine.rules
        assert loaded.problems == [
            "Step 1 (Send email): Email account: 'office' is not an email account."]

        app.set_account("office", SMTP_ACCOUNT)  # added in the window: the rule runs at once
        assert app.engine.rules[0].available
    finally:
        await app.stop()


async def test_a_typo_in_accounts_keeps_the_last_good_accounts(home: Path) -> None:
    save_rules(paths.rules_file(home), [mail_rule()])
    accounts_file = paths.accounts_file(home)
    accounts_file.write_text(json.dumps({"version": 1, "accounts": {"office": SMTP_ACCOUNT}}),
                             encoding="utf-8")
    app = await mail_app(home)
    seen, _ = collect(app)
    try:
        assert app.engine is not None and app.engine.rules[0].available
        broken = '{"version": 1, "accounts": {"office": {"kind": "smtp",, }}}'
        break_file(accounts_file, broken)
        app.reload_rules()  # what the watcher does when accounts.json changes
        assert app.accounts() == {"office": SMTP_ACCOUNT}
        assert app.engine.rules[0].available  # not "there is no account called…"
        assert accounts_file.read_text(encoding="utf-8") == broken
        message = app.file_problems["accounts.json"]
        assert message.startswith("accounts.json, line 1, column 55: a name in double quotes")
        assert "keeps using the accounts it had" in message
        assert [e.file for e in seen if isinstance(e, FileProblemFound)] == ["accounts.json"]
    finally:
        await app.stop()


async def test_accounts_unreadable_at_start_hold_the_rules_that_need_them(home: Path) -> None:
    save_rules(paths.rules_file(home), [mail_rule()])
    paths.accounts_file(home).write_text('{"version": 1, "accounts": {"office": 1}}',
                                         encoding="utf-8")
    app = await mail_app(home)
    try:
        assert app.engine is not None
        [loaded] = app.engine.rules
        assert loaded.problems == [
            "Step 1 (Send email): Email account: the accounts cannot be read now: accounts.json: "
            "the account 'office' must be an object, { … }."]
        assert await post(app.hook_url(loaded)) == 503
        assert any(n.startswith("accounts.json: the account 'office'") for n in app.notices)
    finally:
        await app.stop()


async def test_saving_from_the_window_over_a_broken_file_keeps_its_text(home: Path) -> None:
    probe = Probe()
    good = make_rule([{"type": "probe"}])
    app = await start_app(home, [good], probe)
    try:
        rules_file = paths.rules_file(home)
        break_file(rules_file, '{"version": 1, "rules": [ half written')
        app.reload_rules()
        app.upsert_rule(dict(good, name="Renamed"))
        [copy] = home.glob("rules.json.broken-*")
        assert copy.read_text(encoding="utf-8") == '{"version": 1, "rules": [ half written'
        assert json.loads(rules_file.read_text(encoding="utf-8"))["rules"][0]["name"] == (
            "Renamed")
        assert "rules.json" not in app.file_problems
    finally:
        await app.stop()
