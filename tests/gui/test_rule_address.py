"""A rule's address as the window shows it: local (said plainly, with Connect the tunnel
and Send the sample to this rule) or public (with exactly where to paste it)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from test_rules_live import make_rule

from bellhop.ui.rules.problems import TRIGGER
from helpers import wait_for

SCREENS = Path("/tmp")


def shot(qtbot: Any, widget: Any, name: str) -> None:
    """Save what a person would see, once the layout has settled (for a reviewer's eyes)."""
    qtbot.wait(300)
    image = widget.grab()
    assert not image.isNull() and image.width() > 100
    assert image.save(str(SCREENS / f"refused-{name}.png"))


def csv_rule(app: Any, qtbot: Any, tmp_path: Path, name: str = "Orders",
             sample: str | None = "shopify_order") -> Any:
    """A saved rule that adds each order's number to a CSV file."""
    return make_rule(app, qtbot, name, sample=sample, steps=[{
        "type": "append_file", "path": str(tmp_path / f"{name}.csv"), "sheet": "Orders",
        "columns": {"Order": "{{ body.name }}"}}])


def rows_of(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_with_the_tunnel_off_the_address_says_it_is_local_and_the_sample_can_be_sent(
        bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    window = bellhop_app.window
    window.resize(1440, 900)
    page = csv_rule(bellhop_app, qtbot, tmp_path)
    wait_for(qtbot, lambda: page.context.has_sample)
    card = page.chain.trigger_card
    url = page.summaries[page.draft.id].url
    assert url.startswith("http://127.0.0.1:")
    wait_for(qtbot, lambda: card.reach.text().startswith("⚠ Works only on this computer"))
    assert not card.public
    assert card.connect_button.isVisibleTo(card) and card.send_button.isVisibleTo(card)
    assert "Paste it" not in card.reach.text()
    page.chain.select(TRIGGER)
    trigger = page.inspector.trigger
    assert "works only on this computer" in trigger.reach.text()
    assert "Shopify" in trigger.reach.text() and "Paste it into" not in trigger.reach.text()
    assert trigger.connect_button.isVisibleTo(trigger)

    card.copy.click()  # Copy still copies, and says the address is local
    assert QGuiApplication.clipboard().text() == url
    assert page.builder.message.text().startswith(
        "Copied. This address works only on this computer")

    card.send_button.click()  # a real delivery to the rule's own address
    wait_for(qtbot, lambda: page.builder.message.text().startswith("Sent. "))
    assert "see it in Activity" in trigger.send_status.text()
    wait_for(qtbot, lambda: [row["Order"] for row in rows_of(tmp_path / "Orders.csv")]
             == ["#1042"])
    activity = window.activity_page
    wait_for(qtbot, lambda: activity.model.rowCount() == 1)
    wait_for(qtbot, lambda: activity.model.index(0, 3).data() == "Done")
    shot(qtbot, window, "local-address")

    card.connect_button.click()  # no tunnel set up yet: Accounts › Tunnel
    assert window.pages.currentWidget() is window.accounts_page


def test_sending_with_no_sample_asks_for_one_and_sends_nothing(
        bellhop_app: Any, qtbot: Any, tmp_path: Path) -> None:
    page = csv_rule(bellhop_app, qtbot, tmp_path, "Form", sample=None)
    assert not page.context.has_sample
    page.inspector.trigger.send_button.click()
    assert page.builder.message.text().startswith("Choose a sample event first")
    assert page.builder.message.kind == "problem"


def test_a_public_address_says_exactly_where_to_paste_it_for_its_sender(
        tunnel_app: Any, qtbot: Any, tmp_path: Path) -> None:
    window = tunnel_app.window
    window.resize(1440, 900)
    wait_for(qtbot, lambda: window.tunnel_chip.state == "up", timeout=15000)
    page = csv_rule(tunnel_app, qtbot, tmp_path)
    card = page.chain.trigger_card
    wait_for(qtbot, lambda: card.public)
    wait_for(qtbot, lambda: page.summaries[page.draft.id].url.startswith(
        window.tunnel_chip.public_url))
    assert card.reach.text() == ("Paste it into Shopify: Settings → Notifications → Webhooks "
                                 "→ Create webhook, with the format JSON.")
    assert not card.offers.isVisibleTo(card) and not card.connect_button.isVisibleTo(card)
    page.chain.select(TRIGGER)
    assert page.inspector.trigger.reach.text() == card.reach.text()
    assert not page.inspector.trigger.connect_button.isVisibleTo(page.inspector.trigger)
    card.copy.click()
    assert not page.builder.message.text().startswith("Copied. This address works only")
    shot(qtbot, window, "public-address")

    page.samples.use_shipped(page.draft.id, "line_message")  # a LINE sample: LINE's place
    wait_for(qtbot, lambda: "LINE Developers console" in card.reach.text())
    assert "turn on “Use webhook”, then press Verify" in card.reach.text()
    trigger = page.inspector.trigger  # the rule's own check names the sender first
    trigger.scheme.setCurrentIndex(trigger.scheme.findData("github"))
    trigger.scheme.activated.emit(trigger.scheme.currentIndex())
    assert card.reach.text().startswith("Paste it into GitHub: the repository's Settings → "
                                        "Webhooks → Add webhook")
