"""A flash sale into Google Sheets: every row, in posting order, within the write quota.

The real receiver and engine, over loopback, against the fake Google enforcing a
per-user write quota with 429s as Sheets does (scaled down: 4 writes a second)."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path
from typing import Any, Literal

import aiohttp
import pytest

from bellhop.actions import append_sheet
from bellhop.core.cards import ActionType, Registry, StepConfig
from bellhop.core.platform import paths
from bellhop.core.platform.accounts import save_accounts
from bellhop.core.running.rules import new_token, save_rules
from bellhop.core.services.sheets import Quotas
from bellhop.core.stepcontext import StepContext
from bellhop.service import Bellhop
from fakes.fake_google import FakeGoogle
from google_kit import SHEET_ID, setup_google
from google_kit import fake_google as fake_google  # the fixture

WRITES, WINDOW = 4, 1.0  # the fake's quota, and Bellhop's budget: 4 writes a second


def make_rule(steps: list[dict[str, Any]], rule_id: str = "r1") -> dict[str, Any]:
    return {"id": rule_id, "name": f"Orders {rule_id}", "enabled": True,
            "trigger": {"type": "webhook", "token": new_token()}, "steps": steps}


class JitterConfig(StepConfig):
    type: Literal["jitter"] = "jitter"


async def _jitter(ctx: StepContext, config: JitterConfig) -> dict[str, Any]:
    # Something before the sheet that takes each run a different time (an email, say):
    # runs reach the sheet out of their arrival order.
    await asyncio.sleep(random.uniform(0, 0.05))
    return {}


JITTER = ActionType(type="jitter", label="Jitter", description="", icon="",
                    config_model=JitterConfig, run=_jitter)


def sheet_rule(columns: dict[str, str] | None = None, rule_id: str = "r1") -> dict[str, Any]:
    return make_rule([{"type": "jitter"}, {
        "type": "append_sheet", "account": "google", "spreadsheet": SHEET_ID,
        "sheet": "Orders", "values": "text",
        "columns": columns or {"Order": "{{ body.n }}"}}], rule_id)


async def start(home: Path, fake: FakeGoogle, rules: list[dict[str, Any]]) -> Bellhop:
    google = setup_google(fake)
    save_accounts(paths.accounts_file(home), google.accounts())
    save_rules(paths.rules_file(home), rules)
    app = Bellhop(home, Registry([JITTER, append_sheet.ACTION]))
    await app.start("127.0.0.1", 0)
    assert app.services is not None
    app.services.shared["sheets.quotas"] = Quotas(WRITES, WRITES, WINDOW)
    return app


async def post_all(url: str, count: int, key: str = "n") -> None:
    async with aiohttp.ClientSession() as http:
        for n in range(count):  # one after the other: the posting order is known
            async with http.post(url, data=json.dumps({key: f"#{n}"}),
                                 headers={"Content-Type": "application/json"}) as answer:
                assert answer.status == 202


async def until(check: Any, timeout: float = 60) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.05)
    await asyncio.wait_for(poll(), timeout)


@pytest.fixture
def quota(fake_google: FakeGoogle) -> FakeGoogle:
    fake_google.write_quota, fake_google.read_quota = WRITES, WRITES
    fake_google.quota_window = WINDOW
    return fake_google


async def test_a_burst_lands_whole_in_posting_order_within_the_quota(
        home: Path, quota: FakeGoogle) -> None:
    app = await start(home, quota, [sheet_rule()])
    try:
        assert app.engine is not None
        await post_all(app.hook_url(app.engine.rules[0]), 120)
        await until(lambda: len(quota.rows(SHEET_ID, "Orders")) == 121)
        rows = quota.rows(SHEET_ID, "Orders")
        assert [row[0] for row in rows[1:]] == [f"#{n}" for n in range(120)]
        assert quota.most_in_window(write=True) <= WRITES
        assert quota.refused_for_quota == 0  # paced, not answered 429
        appends = [c for c in quota.calls if c["path"].endswith(":append")]
        assert len(appends) < 60  # rows waiting together went in one append
        # Each run records the row it wrote.
        await until(lambda: app.engine is not None and not any(app.engine.backlog().values()))
        ranges = await app.store.read(lambda conn: [r[0] for r in conn.execute(
            "SELECT json_extract(output, '$.range') FROM step_runs WHERE idx = 2")])
        assert sorted(int(r.split("!A")[1].split(":")[0]) for r in ranges) == \
            list(range(2, 122))
    finally:
        await app.stop()


async def test_rows_refused_by_a_busy_google_keep_their_order(
        home: Path, fake_google: FakeGoogle) -> None:
    app = await start(home, fake_google, [sheet_rule()])
    try:
        assert app.engine is not None
        fake_google.fail_next += [(429, {"Retry-After": "1"}), (503, {})]
        await post_all(app.hook_url(app.engine.rules[0]), 30)
        await until(lambda: len(fake_google.rows(SHEET_ID, "Orders")) == 31)
        assert [row[0] for row in fake_google.rows(SHEET_ID, "Orders")[1:]] == \
            [f"#{n}" for n in range(30)]
    finally:
        await app.stop()


async def test_runs_a_filter_stops_do_not_hold_up_the_rows_after_them(
        home: Path, fake_google: FakeGoogle) -> None:
    from bellhop.actions import filter as filter_card

    rule = sheet_rule()
    rule["steps"].insert(0, {"type": "filter", "conditions": [
        {"field": "body.n", "op": "ne", "value": "#3"}]})
    google = setup_google(fake_google)
    save_accounts(paths.accounts_file(home), google.accounts())
    save_rules(paths.rules_file(home), [rule])
    app = Bellhop(home, Registry([filter_card.ACTION, JITTER, append_sheet.ACTION]))
    await app.start("127.0.0.1", 0)
    try:
        assert app.engine is not None
        await post_all(app.hook_url(app.engine.rules[0]), 8)
        await until(lambda: len(fake_google.rows(SHEET_ID, "Orders")) == 8)
        assert [row[0] for row in fake_google.rows(SHEET_ID, "Orders")[1:]] == \
            ["#0", "#1", "#2", "#4", "#5", "#6", "#7"]
    finally:
        await app.stop()


async def test_two_rules_on_one_tab_with_different_columns_both_land(
        home: Path, fake_google: FakeGoogle) -> None:
    first = sheet_rule({"Order": "{{ body.n }}"}, rule_id="a")
    second = sheet_rule({"Total": "{{ body.t }}"}, rule_id="b")
    app = await start(home, fake_google, [first, second])
    try:
        assert app.engine is not None
        rules = {rule.id: rule for rule in app.engine.rules}
        await asyncio.gather(post_all(app.hook_url(rules["a"]), 10),
                             post_all(app.hook_url(rules["b"]), 10, key="t"))
        await until(lambda: len(fake_google.rows(SHEET_ID, "Orders")) == 21)
        rows = fake_google.rows(SHEET_ID, "Orders")[1:]
        assert [r[0] for r in rows if r[0]] == [f"#{n}" for n in range(10)]
        assert [r[3] for r in rows if len(r) > 3 and r[3]] == [f"#{n}" for n in range(10)]
    finally:
        await app.stop()


async def test_a_rule_whose_spreadsheet_address_is_wrong_still_loads(
        home: Path, fake_google: FakeGoogle) -> None:
    # The destination cannot be named; the rule loads, its step says what is wrong, and
    # the other rules are not held up (before: Bellhop did not start at all).
    wrong = sheet_rule(rule_id="wrong")
    wrong["steps"][1]["spreadsheet"] = "x"
    app = await start(home, fake_google, [wrong, sheet_rule(rule_id="good")])
    try:
        assert app.engine is not None
        rules = {rule.id: rule for rule in app.engine.rules}
        await post_all(app.hook_url(rules["wrong"]), 1)
        await post_all(app.hook_url(rules["good"]), 1)
        await until(lambda: len(fake_google.rows(SHEET_ID, "Orders")) == 2)

        async def failed() -> list[str]:
            return await app.store.read(lambda conn: [r[0] for r in conn.execute(
                "SELECT error FROM runs WHERE rule_id = 'wrong' AND status = 'failed'")])
        for _ in range(100):
            errors = await failed()
            if errors:
                break
            await asyncio.sleep(0.05)
        assert errors and "spreadsheet" in errors[0].lower()
    finally:
        await app.stop()
