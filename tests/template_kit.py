"""Template rules from the "New rule" gallery, made ready for a test's fakes.

The only changes to a template are the ones a person makes (the accounts, the
spreadsheet to write to) and the services' addresses, pointed at local fakes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from fakes.fake_google import FakeGoogle
from google_kit import ROBOT, setup_google

TEMPLATE_SHEET = "1TemplatesSheet_abcdefghijklmnopqrstuvwxyz0123"
TEMPLATE_SHEET_URL = f"https://docs.google.com/spreadsheets/d/{TEMPLATE_SHEET}/edit#gid=0"
TEMPLATE_TABS = ("Orders", "Answers", "Payments")


def google_for_templates(fake: FakeGoogle) -> dict[str, Any]:
    """A service account 'google' (key in the keychain) and a spreadsheet whose tabs the
    templates write to, new and empty as a person makes them; accounts.json's entry."""
    setup = setup_google(fake)
    fake.add_spreadsheet(TEMPLATE_SHEET, {tab: [] for tab in TEMPLATE_TABS}, {ROBOT})
    return setup.account


def ready_for_fakes(raw: dict[str, Any], *, line_api: str = "", chat_api: str = "",
                    surveycake: str = "", files: Path | None = None,
                    sheet: str = TEMPLATE_SHEET_URL) -> dict[str, Any]:
    """The rule with the spreadsheet chosen, the services' addresses set to fakes and
    spreadsheet files kept in `files` (never the person's Documents)."""
    rule = copy.deepcopy(raw)
    for step in rule["steps"]:
        if step["type"] == "append_sheet":
            step["spreadsheet"] = sheet
        if step["type"] == "line_reply" and line_api:
            step["api_base"] = line_api
        if step["type"] == "notify_chat" and chat_api:
            step["api_base"] = chat_api
        if step["type"] == "append_file":
            assert files is not None, "say where the template's spreadsheet files may go"
            step["path"] = str(files / Path(step["path"]).name)
    if surveycake and "surveycake" in rule["trigger"]:
        rule["trigger"]["surveycake"]["domain"] = surveycake
    return rule
