"""A run that is done with warnings (fields the event lacks, left empty) says so: in
Activity, on the card after Run test, in the card's test result and the test's summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from bellhop.actions.send_email import ACTION as SEND_EMAIL
from bellhop.ui.activity.runs import RunStepsWidget
from bellhop.ui.rules.cards import CardWidget
from bellhop.ui.rules.results import StepResultDialog
from bellhop.ui.rules.results import test_outcome as outcome_of
from bellhop.ui.rules.widgets import state_colour
from support.records import make_event, make_run, make_step

WARNING = ("This order has no customer (guest checkout); the email's Message left "
           "Customer last name, Customer first name empty.")
SECOND = "This order has no Shipping address; the sheet's Column 'City' left it empty."


def done_with_warnings(*warnings: str) -> Any:
    run = make_run(make_event(), "succeeded", duration_ms=420.0)
    run.steps = [make_step(1, "send_email", "succeeded", label="Send email", attempts=1,
                           duration_ms=400.0, warnings=list(warnings[:1]),
                           output={"to": ["warehouse@example.com"]}),
                 make_step(2, "append_sheet", "succeeded", label="Add a row to Google Sheets",
                           attempts=1, duration_ms=20.0, warnings=list(warnings[1:]))]
    return run


def test_the_test_summary_is_a_success_that_names_the_warning() -> None:
    text, kind = outcome_of(done_with_warnings(WARNING))
    assert (text, kind) == (f"Test finished: every card worked. Worth a look: {WARNING}",
                            "problem")
    text, kind = outcome_of(done_with_warnings(WARNING, SECOND))
    assert text == ("Test finished: every card worked. 2 things worth a look, first: "
                    f"{WARNING}")
    assert outcome_of(done_with_warnings()) == ("Test finished: every card worked.", "ok")


def test_a_card_done_with_a_warning_shows_it(qtbot: Any) -> None:
    card = CardWidget(0, SEND_EMAIL, {"type": "send_email", "to": "warehouse@example.com"})
    qtbot.addWidget(card)
    card.resize(420, card.sizeHint().height())
    [step, _sheet] = done_with_warnings(WARNING).steps
    card.show_result(step)
    assert card.state == "warned"
    done = "Sent to warehouse@example.com (no subject) · 400 ms"  # what it did, in words
    assert card.state_text.text() == f"{done}\n{WARNING}"
    assert state_colour("warned") != state_colour("ok")
    step.warnings = []
    card.show_result(step)
    assert card.state == "ok" and card.state_text.text() == done


def test_the_cards_test_result_lists_its_warnings(qtbot: Any) -> None:
    [step, _sheet] = done_with_warnings(WARNING).steps
    dialog = StepResultDialog(step)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "This card worked." in texts and WARNING in texts


def test_activity_shows_the_warnings_of_the_run_and_of_its_step(qtbot: Any) -> None:
    view = RunStepsWidget()
    qtbot.addWidget(view)
    view.resize(640, 420)
    run = done_with_warnings(WARNING, SECOND)
    view.show_runs([run])
    item = view.tree.topLevelItem(0)
    assert item.text(1) == "Done"  # still a success
    view.tree.setCurrentItem(item)
    shown = view.details.toPlainText()
    assert "Worth a look" in shown and WARNING in shown and SECOND in shown
    first_step = item.child(0)
    assert first_step.toolTip(1) == WARNING
    view.tree.setCurrentItem(first_step)
    shown = view.details.toPlainText()
    assert WARNING in shown and SECOND not in shown
