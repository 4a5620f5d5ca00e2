"""Helpers shared by tests (a plain module: two conftest.py files cannot share a name)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TESTS = Path(__file__).parent
REPO = TESTS.parent
SAMPLES = REPO / "resources" / "samples"


def load_sample(name: str) -> bytes:
    """The raw bytes of a sample payload shipped in resources/samples."""
    return (SAMPLES / name).read_bytes()


def sample_json(name: str) -> dict:
    """A sample payload parsed as JSON."""
    return json.loads(load_sample(name))


def wait_for(qtbot: Any, condition: Any, timeout: int = 10000) -> None:
    """Process Qt events until `condition()` is true."""
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def start_app(qtbot: Any, qapp: Any, home: Path, *, welcome: bool = False) -> Any:
    """A started BellhopApp (window shown) on a free port, on whatever settings `home` has.

    The first-run welcome is left out unless `welcome` (tests/gui/test_welcome.py).
    """
    from bellhop.ui.app import BellhopApp, make_application

    make_application()
    app = BellhopApp(qapp, home, port=0)
    with qtbot.waitSignal(app.bridge.started, timeout=15000):
        app.start(welcome=welcome)
    qtbot.addWidget(app.window)
    return app


def stop_app(app: Any) -> None:
    """Stop a BellhopApp made by `start_app` (the engine stops cleanly)."""
    app.shutdown()
    app.instance.deleteLater()


# Every character str.splitlines() ends a line at, \r and \n included: none may reach a header.
LINE_BREAKS = ("\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
# Control characters that are no line break; TAB (allowed in headers) is not among them.
CONTROL_CHARACTERS = ("\x00", "\x01", "\x08", "\x1b", "\x1f", "\x7f")


def char_id(char: str) -> str:
    """A readable test id for one character: U+2028."""
    return f"U+{ord(char):04X}"


async def step_error(action: Any, ctx: Any, config: Any) -> str:
    """Run one card once as the engine does and return the error its step records.

    The engine's step runner turns a crash into "Something unexpected went wrong", so the
    text shows whether the card failed plainly or crashed."""
    from bellhop.core.running.steps import Outcome, PlannedStep, StepRunner
    from support.records import make_event, make_run, make_step

    step = make_step(1, config.type, label=action.label)
    run = make_run(make_event(id=ctx.event_id))
    planned = PlannedStep(config=config, action=action, label=action.label, input={}, index=1)
    runner = StepRunner(store=None, on_step=lambda run, step: None)  # type: ignore[arg-type]
    outcome = await runner.run(run, step, planned, ctx, attempts=1)
    assert outcome is Outcome.FAILED and step.status == "failed", step.output
    assert step.error is not None
    return step.error
