"""A trigger's own step (SurveyCake's answers) runs as step 0: recorded, kept on retry."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import keyring
from enginekit import Probe, collect, make_rule

from bellhop.actions import filter as filter_card
from bellhop.actions import surveycake
from bellhop.core.cards import Registry
from bellhop.core.running.rules import check_rule, save_rules
from bellhop.service import Bellhop
from fakes.fake_surveycake import HASH_KEY, IV_KEY, FakeSurveyCake
from helpers import sample_json


async def test_answers_are_fetched_once_and_kept_when_a_later_step_is_retried(
        home: Path) -> None:
    keyring.set_password("bellhop", "sc-hash", HASH_KEY)
    keyring.set_password("bellhop", "sc-iv", IV_KEY)
    probe = Probe()
    with FakeSurveyCake() as fake:
        fake.add("8aB3kQ", "5f0c8e1d2a7b4c9e", sample_json("surveycake_answers.json"))
        rule = make_rule([{"type": "probe", "text": "{{ body.answers['姓名'] }} "
                           "{{ body.answers['4'] }} {{ steps.0.fetched }}",
                           "fail_times": 1, "fail_kind": "permanent"}],
                         surveycake={"domain": fake.base, "hash_key": "sc-hash",
                                     "iv_key": "sc-iv"})
        save_rules(home / "rules.json", [rule])
        app = Bellhop(home, Registry([filter_card.ACTION, surveycake.ACTION, probe.action()]))
        await app.start("127.0.0.1", 0)
        _, finished = collect(app)
        try:
            url = app.hook_url(app.engine.rules[0])
            async with aiohttp.ClientSession() as http, http.post(
                    url, data={"svid": "8aB3kQ", "hash": "5f0c8e1d2a7b4c9e"}) as answer:
                assert answer.status == 202
                event_id = (await answer.json())["event_id"]
            [first] = await finished()
            assert first.status == "failed"
            [run] = await app.runs_of_event(event_id)
            assert [(s.idx, s.status) for s in run.steps] == [(0, "succeeded"), (1, "failed")]
            assert run.steps[0].label == "Get the SurveyCake answers"
            assert await app.engine.retry(run.id)
            await finished(2)
            [run] = await app.runs_of_event(event_id)
            assert run.status == "succeeded"
            assert probe.calls[-1]["text"] == "王小明 希望週日也營業 True"
            assert len(fake.requests) == 1  # the retry used the stored answers
        finally:
            await app.stop()


def test_a_bellhop_without_the_surveycake_card_says_so() -> None:
    rule = make_rule([], surveycake={"hash_key": "a", "iv_key": "b"})
    assert check_rule(rule, Registry([filter_card.ACTION])).problems == [
        "This Bellhop cannot read SurveyCake answers."]
