"""The engine: steps in order, outputs to later steps, retries, failures, resume, replay."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
from enginekit import Probe, collect, make_rule, start_app

from bellhop.core.cards import ActionType, Decision, Registry, StepConfig
from bellhop.core.events import RulesChanged, StepFinished
from bellhop.core.platform.settings import Settings
from bellhop.core.running.rules import save_rules
from bellhop.core.stepcontext import StepContext
from bellhop.core.storage.store import EventStore
from bellhop.service import Bellhop
from support.records import make_event, make_run, make_step

FAST = {"attempts": 4, "first_delay": 0.02}


async def post(app: Any, body: Any, rule_index: int = 0) -> str:
    url = app.hook_url(app.engine.rules[rule_index])
    async with aiohttp.ClientSession() as http, http.post(url, json=body) as resp:
        assert resp.status == 202
        return (await resp.json())["event_id"]


async def test_steps_run_in_order_and_see_earlier_outputs(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([
        {"type": "probe", "text": "first {{ body.name }}"},
        {"type": "probe", "text": "second saw [{{ steps.1.text }}] for {{ rule }}"},
    ], name="訂單")], probe)
    _, finished = collect(app)
    try:
        event_id = await post(app, {"name": "#1001"})
        [run] = await finished()
        assert run.status == "succeeded" and run.event_id == event_id
        assert [c["text"] for c in probe.calls] == ["first #1001",
                                                    "second saw [first #1001] for 訂單"]
        [stored] = await app.runs_of_event(event_id)
        assert [s.status for s in stored.steps] == ["succeeded", "succeeded"]
        assert stored.steps[1].output == {"text": "second saw [first #1001] for 訂單"}
        assert stored.steps[0].input["text"] == "first {{ body.name }}"
        assert stored.duration_ms is not None and stored.finished_at
    finally:
        await app.stop()


async def test_filter_that_does_not_match_skips_the_rest(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([
        {"type": "filter", "conditions": [{"field": "body.total", "op": "gt", "value": 100}]},
        {"type": "probe"},
    ])], probe)
    _, finished = collect(app)
    try:
        cheap = await post(app, {"total": "99.5"})
        dear = await post(app, {"total": "1,280"})
        runs = await finished(2)
        status = {r.event_id: r.status for r in runs}
        assert status == {cheap: "skipped", dear: "succeeded"}
        assert [c["event_id"] for c in probe.calls] == [dear]
        [skipped] = await app.runs_of_event(cheap)
        assert [s.status for s in skipped.steps] == ["succeeded", "skipped"]
    finally:
        await app.stop()


async def test_transient_failures_are_retried_and_attempts_recorded(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule(
        [{"type": "probe", "fail_times": 2, "retry": FAST}])], probe)
    seen, finished = collect(app)
    try:
        event_id = await post(app, {"a": 1})
        [run] = await finished()
        assert run.status == "succeeded"
        [stored] = await app.runs_of_event(event_id)
        assert stored.steps[0].attempts == 3
        waits = [e for e in seen if isinstance(e, StepFinished) and e.status == "waiting"]
        assert len(waits) == 2 and "Bellhop will try again in" in (waits[0].error or "")
    finally:
        await app.stop()


async def test_retries_stop_after_the_policy_and_the_run_fails_plainly(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule(
        [{"type": "probe", "fail_times": 10, "retry": {"attempts": 3, "first_delay": 0.01}},
         {"type": "probe"}])], probe)
    _, finished = collect(app)
    try:
        event_id = await post(app, {})
        [run] = await finished()
        assert run.status == "failed"
        assert run.error == ("the probe is busy, try again Bellhop tried 3 times and stopped."
                                " Fix the problem, then press Retry in Activity.")
        [stored] = await app.runs_of_event(event_id)
        assert stored.steps[0].attempts == 3 and stored.steps[0].status == "failed"
        assert stored.steps[1].status == "pending" and probe.calls == []
    finally:
        await app.stop()


async def test_permanent_errors_and_card_bugs_fail_at_once(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [
        make_rule([{"type": "probe", "fail_times": 1, "fail_kind": "permanent",
                    "retry": FAST}], rule_id="a"),
        make_rule([{"type": "probe", "fail_times": 1, "fail_kind": "crash", "retry": FAST}],
                  rule_id="b"),
        make_rule([{"type": "probe", "text": "{{ body.missing * 2 }}"}], rule_id="c"),
    ], probe)
    _, finished = collect(app)
    try:
        ids = [await post(app, {"x": 1}, i) for i in range(3)]
        runs = {r.event_id: r for r in await finished(3)}
        assert runs[ids[0]].error == "the probe refuses"
        crash = runs[ids[1]].error
        assert "unexpected" in crash and "ZeroDivisionError" in crash
        assert "body.missing" in runs[ids[2]].error and "x" in runs[ids[2]].error
        for event_id in ids:
            [stored] = await app.runs_of_event(event_id)
            assert stored.status == "failed" and stored.steps[0].attempts == 1
        # The engine is still fine afterwards.
        assert app.receiver is not None
        async with aiohttp.ClientSession() as http, http.get(
                app.receiver.base_url + "/healthz") as resp:
            assert resp.status == 200
    finally:
        await app.stop()


async def test_failed_run_can_be_retried_from_the_failed_step(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([
        {"type": "probe", "text": "one"},
        {"type": "probe", "text": "two", "fail_times": 1, "fail_kind": "permanent"},
    ])], probe)
    _, finished = collect(app)
    try:
        event_id = await post(app, {})
        [first] = await finished()
        assert first.status == "failed"
        assert await app.engine.retry(first.run_id)
        runs = await finished(2)
        assert runs[1].status == "succeeded" and runs[1].run_id == first.run_id
        # Step one had succeeded: it was not done twice.
        assert [c["text"] for c in probe.calls] == ["one", "two"]
        [stored] = await app.runs_of_event(event_id)
        assert stored.status == "succeeded" and stored.steps[1].attempts == 2
        assert not await app.engine.retry(first.run_id)  # nothing to retry any more
    finally:
        await app.stop()


async def test_replay_runs_the_event_against_the_current_rule(home: Path) -> None:
    probe = Probe()
    rule = make_rule([{"type": "probe", "text": "v1 {{ body.n }}"}])
    app = await start_app(home, [rule], probe)
    _, finished = collect(app)
    try:
        event_id = await post(app, {"n": 7})
        await finished()
        rule["steps"][0]["text"] = "v2 {{ body.n }}"
        app.save_rules([rule])
        run_id = await app.engine.replay(event_id)
        runs = await finished(2)
        assert runs[1].run_id == run_id
        assert [c["text"] for c in probe.calls] == ["v1 7", "v2 7"]
        stored = await app.runs_of_event(event_id)
        assert [r.reason for r in stored] == ["new", "replay"]
        assert await app.engine.replay("ev_nope") is None
    finally:
        await app.stop()


async def test_per_rule_concurrency_is_limited(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe", "hold": 0.05}])], probe)
    _, finished = collect(app)
    try:
        limit = Settings().rule_concurrency
        await asyncio.gather(*(post(app, {"i": i}) for i in range(limit + 16)))
        await finished(limit + 16)
        assert probe.most_running == limit  # the default limit, reached and never passed
    finally:
        await app.stop()


async def test_unfinished_work_resumes_at_the_next_start(home: Path) -> None:
    rule = make_rule([{"type": "probe", "text": "A {{ body.n }}"},
                      {"type": "probe", "text": "B {{ body.n }}"}])
    save_rules(home / "rules.json", [rule])
    # Leave behind what a killed Bellhop would: one event never started, one run half done.
    store = EventStore(home / "events.db")
    await store.open()
    events = []
    for n in (1, 2):
        event = make_event({"n": n})
        await store.append_event(event)
        events.append(event)
    half = make_run(events[1], "running", steps=[
        make_step(1, "probe", "succeeded", attempts=1, output={"text": "A 2"}),
        make_step(2, "probe", "running", attempts=1)])
    await store.save_run(half)
    await store.close()

    probe = Probe()
    app = await start_app(home, [rule], probe)
    _, finished = collect(app)
    try:
        await finished(2)
        assert sorted(c["text"] for c in probe.calls) == ["A 1", "B 1", "B 2"]
        for event in events:
            [run] = await app.runs_of_event(event.id)
            assert run.status == "succeeded"
        new, unfinished = await app.store.unfinished()
        assert new == [] and unfinished == []
    finally:
        await app.stop()


async def test_a_waiting_retry_survives_a_restart(home: Path) -> None:
    probe = Probe()
    rule = make_rule([{"type": "probe", "fail_times": 1,
                       "retry": {"attempts": 3, "first_delay": 0.5}}])
    app = await start_app(home, [rule], probe)
    seen, _ = collect(app)
    event_id = await post(app, {"n": 1})
    for _ in range(200):
        if any(isinstance(e, StepFinished) and e.status == "waiting" for e in seen):
            break
        await asyncio.sleep(0.01)
    await app.stop()  # stopped while the retry waits

    again = await start_app(home, [rule], probe)
    _, finished = collect(again)
    try:
        [run] = await finished()
        assert run.status == "succeeded" and run.event_id == event_id
        [stored] = await again.runs_of_event(event_id)
        assert stored.steps[0].attempts == 2
    finally:
        await again.stop()


async def test_rules_file_edits_are_picked_up(home: Path, monkeypatch: Any) -> None:
    import bellhop.service as service

    monkeypatch.setattr(service, "RULES_POLL_SECONDS", 0.05)
    probe = Probe()
    app = await start_app(home, [make_rule([{"type": "probe"}], name="Old")], probe)
    seen, _ = collect(app)
    try:
        save_rules(home / "rules.json", [make_rule([{"type": "probe"}], name="New")])
        for _ in range(100):
            if any(isinstance(e, RulesChanged) for e in seen):
                break
            await asyncio.sleep(0.02)
        assert app.engine is not None and [r.name for r in app.engine.rules] == ["New"]
    finally:
        await app.stop()


async def test_an_unavailable_rule_fails_its_resumed_runs_plainly(home: Path) -> None:
    probe = Probe()
    rule = make_rule([{"type": "probe"}])
    app = await start_app(home, [rule], probe)
    _, finished = collect(app)
    try:
        event_id = await post(app, {})
        await finished()
        rule["steps"] = [{"type": "probe", "text": "{{ oops"}]
        app.save_rules([rule])
        await app.engine.replay(event_id)
        runs = await finished(2)
        assert runs[1].status == "failed" and "Template mistake" in runs[1].error
    finally:
        await app.stop()


NOT_OVER_100 = {"matched": False, "conditions": [
    {"field": "body.total", "op": "gt", "value": 100, "actual": 5, "holds": False}]}


async def test_a_turned_away_delivery_gets_a_skipped_run_and_its_event_is_taken(
        home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([
        {"type": "filter", "conditions": [{"field": "body.total", "op": "gt", "value": 100}]},
        {"type": "probe"},
    ])], probe)
    try:
        event_id = await post(app, {"total": 5})
        assert app.engine is not None
        await app.engine.wait_idle(10)  # the run follows the answer
        [run] = await app.runs_of_event(event_id)
        assert run.status == "skipped" and run.finished_at
        assert [s.status for s in run.steps] == ["succeeded", "skipped"]
        assert run.steps[0].output == NOT_OVER_100 and run.steps[0].attempts == 1
        event = await app.store.get_event(event_id)
        assert event is not None and event.state == "taken"
    finally:
        await app.stop()


async def test_a_filter_that_says_no_stops_a_replayed_run_and_stores_matched_false(
        home: Path) -> None:
    """The same outcome and the same stored output whether the filter is decided at once
    or in the background (a replay, a resumed run)."""
    probe = Probe()
    app = await start_app(home, [make_rule([
        {"type": "filter", "conditions": [{"field": "body.total", "op": "gt", "value": 100}]},
        {"type": "probe"},
    ])], probe)
    _, finished = collect(app)
    try:
        event_id = await post(app, {"total": 5})
        await finished(1)
        assert app.engine is not None
        replayed = await app.engine.replay(event_id)
        runs = await finished(2)
        assert runs[1].run_id == replayed and runs[1].status == "skipped"
        assert runs[1].steps == (("Only continue if…", "succeeded"), ("Probe", "skipped"))
        for run in await app.runs_of_event(event_id):
            assert run.status == "skipped" and run.error is None
            assert [s.status for s in run.steps] == ["succeeded", "skipped"]
            assert run.steps[0].output == NOT_OVER_100
        assert probe.calls == []
    finally:
        await app.stop()


async def test_only_a_decision_stops_a_run_not_an_output_that_says_matched(
        home: Path) -> None:
    """A card is a condition by answering a Decision; the engine reads nothing in the
    outputs of other cards."""

    async def says_no(ctx: StepContext, config: StepConfig) -> Decision:
        return Decision(go_on=False, output={"why": "closed on Sundays"})

    async def looks_like_a_filter(ctx: StepContext, config: StepConfig) -> dict[str, Any]:
        return {"matched": False}

    class NoConfig(StepConfig):
        type: str = "says_no"

    class LookalikeConfig(StepConfig):
        type: str = "lookalike"

    def card(type_name: str, config: type[StepConfig], run: Any) -> ActionType:
        return ActionType(type=type_name, label=type_name,
                          description="test", icon="probe",
                          config_model=config, run=run, has_side_effects=False)

    probe = Probe()
    save_rules(home / "rules.json", [
        make_rule([{"type": "says_no"}, {"type": "probe"}], rule_id="no", name="No"),
        make_rule([{"type": "lookalike"}, {"type": "probe"}], rule_id="on", name="On"),
    ])
    app = Bellhop(home, Registry([card("says_no", NoConfig, says_no),
                                  card("lookalike", LookalikeConfig, looks_like_a_filter),
                                  probe.action()]))
    await app.start("127.0.0.1", 0)
    _, finished = collect(app)
    try:
        stopped, went_on = await post(app, {"n": 1}, 0), await post(app, {"n": 2}, 1)
        runs = {run.event_id: run for run in await finished(2)}
        assert runs[stopped].status == "skipped"
        assert runs[went_on].status == "succeeded"
        [run] = await app.runs_of_event(stopped)
        assert run.steps[0].output == {"why": "closed on Sundays"}
        assert [s.status for s in run.steps] == ["succeeded", "skipped"]
        assert [call["event_id"] for call in probe.calls] == [went_on]
    finally:
        await app.stop()


async def test_a_filter_mistake_fails_the_run_and_still_answers_202(home: Path) -> None:
    probe = Probe()
    app = await start_app(home, [make_rule([
        {"type": "filter", "conditions": [
            {"field": "body.total", "op": "gt", "value": "{{ body.limit.nope * 2 }}"}]},
        {"type": "probe"},
    ])], probe)
    _, finished = collect(app)
    try:
        event_id = await post(app, {"total": 5, "limit": {}})
        [run] = await finished()
        assert run.status == "failed" and "body.limit.nope" in run.error
        [stored] = await app.runs_of_event(event_id)
        assert stored.steps[0].status == "failed" and probe.calls == []
    finally:
        await app.stop()


async def test_turning_a_rule_off_saves_it_and_closes_its_address(home: Path) -> None:
    app = await start_app(home, [make_rule([{"type": "probe"}])], Probe())
    try:
        assert app.engine is not None
        rule = app.engine.rules[0]
        url = app.hook_url(rule)
        assert app.set_enabled(rule.id, False)
        saved = json.loads((home / "rules.json").read_text(encoding="utf-8"))
        assert saved["rules"][0]["enabled"] is False
        async with aiohttp.ClientSession() as http, http.post(url, json={}) as resp:
            assert resp.status == 404
        assert app.set_enabled(rule.id, True)
        assert await post(app, {}) and not app.set_enabled("nope", True)
        assert [r.id for r in app.list_rules()] == [rule.id]
    finally:
        await app.stop()
