"""Every template of the gallery passes "Run test" on its sample, in the window.

The person's part: one email account and one Google account (filled in by the
gallery), the spreadsheet to write to, the LINE channel token and the Discord webhook
saved in the keychain. The services are local fakes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from aiosmtpd.controller import Controller

from bellhop.core.gallery.starters import STARTERS, fill_for, new_rule
from bellhop.ui.rules.samples import load_shipped
from fakes.fake_chat import DISCORD_ID, DISCORD_TOKEN, FakeChat
from fakes.fake_google import FakeGoogle
from fakes.fake_line import CHANNEL_TOKEN, FakeLine
from helpers import wait_for
from support.ports import free_port
from template_kit import TEMPLATE_SHEET, google_for_templates, ready_for_fakes

TEMPLATES = [starter for starter in STARTERS if starter.key != "blank"]


class Inbox:
    """Keeps what the SMTP server receives."""

    def __init__(self) -> None:
        self.subjects: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        text = envelope.content.decode("utf-8", "replace")
        self.subjects.append(next(line[9:] for line in text.splitlines()
                                  if line.startswith("Subject: ")))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    with FakeGoogle() as fake:
        yield fake


@pytest.mark.parametrize("starter", TEMPLATES, ids=[s.key for s in TEMPLATES])
def test_template_passes_run_test_on_its_sample(bellhop_app: Any, qtbot: Any, home: Path,
                                                tmp_path: Path, inbox: tuple[Inbox, int],
                                                google: FakeGoogle, starter: Any) -> None:
    handler, port = inbox
    accounts = {"office": {"kind": "smtp", "host": "127.0.0.1", "port": port,
                           "security": "none", "from": "Tea House <shop@example.com>"},
                "google": google_for_templates(google)}
    (home / "accounts.json").write_text(json.dumps({"version": 1, "accounts": accounts}))
    keyring.set_password("bellhop", "line-channel-token", CHANNEL_TOKEN)
    keyring.set_password("bellhop", "discord-webhook",
                         f"https://discord.com/api/webhooks/{DISCORD_ID}/{DISCORD_TOKEN}")
    page = bellhop_app.window.rules_page
    with FakeChat() as chat, FakeLine() as line:
        raw = new_rule(starter, starter.key, fill_for(accounts))
        rule = ready_for_fakes(raw, line_api=line.base, chat_api=chat.base, files=tmp_path)
        page.samples.keep(rule["id"], load_shipped(starter.sample))
        bellhop_app.bridge.call_plain(lambda s: s.upsert_rule(rule),
                                      lambda _: page.keeper.changed.emit(rule["id"]))
        wait_for(qtbot, lambda: page.draft is not None and page.draft.id == rule["id"])
        wait_for(qtbot, lambda: page.context.has_sample)
        page.builder.test_button.click()
        wait_for(qtbot, lambda: page.chain.results, timeout=20000)
        assert page.builder.message.text() == "Test finished: every card worked.", \
            [(r.label, r.error) for r in page.chain.results.values()]
        assert all(card.state == "ok" for card in page.chain.cards)
        sends_email = any(step["type"] == "send_email" for step in rule["steps"])
        assert len(handler.subjects) == (1 if sends_email else 0)
        for step in rule["steps"]:
            if step["type"] == "append_sheet":  # Run test adds the row for real
                header, row = google.rows(TEMPLATE_SHEET, step["sheet"])
                assert header == list(step["columns"]) and all(row), row
        if starter.key == "github_discord":
            assert chat.received and chat.received[0][0] == "discord"
        if starter.key == "line_keyword":  # a test run checks the token, keeps the reply
            assert [r.path for r in line.requests] == ["/v2/bot/info"]
