"""The service calls the window makes: test runs, pause, rule and account editing."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import aiohttp
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.events import EventReceived
from bellhop.core.platform import paths
from bellhop.core.platform.edited_files import mtime
from bellhop.core.platform.secrets import get_secret


async def test_test_rule_runs_the_steps_on_a_sample_and_stores_nothing(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [], probe)
    try:
        rule = make_rule([
            {"type": "filter", "conditions": [{"field": "body.total", "op": "gt", "value": 1}]},
            {"type": "probe", "text": "hello {{ body.name }} / {{ steps.1.matched }}"},
        ])
        run = await app.test_rule(rule, {"body": {"total": 5, "name": "王"}})
        assert run.status == "succeeded"
        assert run.steps[1].output == {"text": "hello 王 / True"}
        assert await app.recent_events() == []
        lacking = dict(rule, steps=[{"type": "probe", "text": "[{{ body.nope }}]"}])
        done = await app.test_rule(lacking, {"body": {}})
        assert done.status == "succeeded" and done.steps[0].output == {"text": "[]"}
        assert done.warnings == ["This event has no Nope; Text in the card “Probe” left it empty."]
        broken = dict(rule, steps=[{"type": "probe", "text": "{{ body.nope | required }}"}])
        failed = await app.test_rule(broken, {"body": {}})
        assert failed.status == "failed"
        assert failed.steps[0].error == "This event has no Nope; Text in the card “Probe” uses it."
        # A test tries once, even for passing problems: the person is waiting.
        flaky = dict(rule, steps=[{"type": "probe", "fail_times": 5}])
        once = await app.test_rule(flaky, {"body": {}})
        assert once.status == "failed" and once.steps[0].attempts == 1
    finally:
        await app.stop()


async def test_pause_keeps_deliveries_and_resume_runs_them(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe", "text": "{{ body.n }}"}])], probe)
    _, finished = collect(app)
    try:
        assert app.engine is not None
        app.engine.pause_all()
        url = app.hook_url(app.engine.rules[0])
        async with aiohttp.ClientSession() as http:
            for n in range(3):
                async with http.post(url, json={"n": n}) as resp:
                    assert resp.status == 202
        await asyncio.sleep(0.1)
        assert probe.calls == []
        assert await app.engine.resume_all() == 3
        await finished(3)
        assert sorted(c["text"] for c in probe.calls) == ["0", "1", "2"]
    finally:
        await app.stop()


async def test_upsert_and_delete_rules(home: Path) -> None:
    app = await start_app(home, [make_rule([{"type": "probe"}], rule_id="a")], Probe())
    try:
        added = app.upsert_rule(make_rule([{"type": "probe"}], rule_id="b", name="訂單"))
        assert added.name == "訂單" and [r.id for r in app.list_rules()] == ["a", "b"]
        changed = app.upsert_rule(make_rule([{"type": "probe"}], rule_id="a", name="改名"))
        assert changed.name == "改名" and [r.id for r in app.list_rules()] == ["a", "b"]
        removed = app.delete_rule("a")
        assert removed is not None and removed[0]["name"] == "改名" and removed[1] == 0
        assert [r.id for r in app.list_rules()] == ["b"] and app.delete_rule("a") is None
        saved = json.loads(paths.rules_file(home).read_text(encoding="utf-8"))
        assert [r["id"] for r in saved["rules"]] == ["b"]
        app.upsert_rule(removed[0], removed[1])  # undo puts it back where it was
        assert [r.id for r in app.list_rules()] == ["a", "b"]
    finally:
        await app.stop()


async def test_editing_rules_keeps_a_rule_added_from_the_command_line_meanwhile(
        home: Path) -> None:
    """`bellhop rule new` writes rules.json while the window runs: a save from the window
    before the poll has seen the file must not drop the new rule."""
    from bellhop.core.gallery.adding import add_from_template, find_starter

    app = await start_app(home, [make_rule([{"type": "probe"}], rule_id="a")], Probe())
    try:
        added = add_from_template(home, app.registry, find_starter("blank"), "Added",
                                  lambda name: True)
        app.upsert_rule(make_rule([{"type": "probe"}], rule_id="b"))
        saved = json.loads(paths.rules_file(home).read_text(encoding="utf-8"))
        assert [r["id"] for r in saved["rules"]] == ["a", added.raw["id"], "b"]
        assert [r.name for r in app.list_rules()][1] == "Added"
    finally:
        await app.stop()


def test_a_replaced_file_counts_as_changed_even_with_the_same_time(tmp_path: Path) -> None:
    """Some disks keep whole seconds: a file replaced within one is still a new file."""
    path = tmp_path / "rules.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    before = mtime(path)
    other = tmp_path / "new.json"
    other.write_text('{"b": 2}', encoding="utf-8")
    os.replace(other, path)
    assert before is not None
    os.utime(path, ns=(before[0], before[0]))  # the same size and the same time
    assert mtime(path) != before
    assert mtime(tmp_path / "absent.json") is None


async def test_accounts_keep_secrets_in_the_keychain_only(home: Path) -> None:
    app = await start_app(home, [], Probe())
    try:
        app.set_account("office-smtp", {"kind": "smtp", "host": "smtp.example.com",
                                        "port": 587, "security": "starttls"}, "s3cret-pw")
        assert get_secret("office-smtp") == "s3cret-pw"
        assert app.accounts()["office-smtp"]["host"] == "smtp.example.com"
        for path in home.rglob("*"):
            if path.is_file():
                assert b"s3cret-pw" not in path.read_bytes(), path
        assert app.delete_account("office-smtp") and "office-smtp" not in app.accounts()
        settings = app.update_settings(notify="all", language="zh_TW")
        assert settings.notify == "all"
        assert json.loads(paths.settings_file(home).read_text())["language"] == "zh_TW"
    finally:
        from bellhop.core.i18n import set_language

        set_language("en")
        await app.stop()


async def test_capture_keeps_one_delivery_as_a_sample_even_for_a_rule_that_is_off(
        home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "nonsense"}], enabled=False)], probe)
    seen, _ = collect(app)
    try:
        assert app.engine is not None
        url = app.hook_url(app.engine.rules[0])
        app.engine.capture_next("r1")
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json={"hello": "世界"}) as resp:
                assert resp.status == 202
                event_id = (await resp.json())["event_id"]
            async with http.post(url, json={"again": 1}) as resp:
                assert resp.status == 404  # one delivery only; the rule is still off
        event = await app.store.get_event(event_id)
        assert event is not None and event.state == "sample"
        assert await app.runs_of_event(event_id) == [] and probe.calls == []
        assert EventReceived(event_id=event_id, rule_id="r1", sample=True) in seen
        new, unfinished = await app.store.unfinished()
        assert new == [] and unfinished == []  # never resumed as work
    finally:
        await app.stop()
