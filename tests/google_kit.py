"""Shared set-up for tests against the fake Google: a served fake, a service account, a sheet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bellhop.core.platform.secrets import set_secret
from bellhop.core.services.google import service_account_entry
from fakes.fake_google import FakeGoogle

ROBOT = "bellhop-robot@shop-project.iam.gserviceaccount.com"
SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd"
SHEET_URL = f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit#gid=0"
HEADER = ["Order", "Date", "Phone", "Total"]


@dataclass
class GoogleSetup:
    """The fake, a service account it trusts, and the accounts.json entry for it."""

    fake: FakeGoogle
    key: dict[str, Any]
    account: dict[str, Any]

    def accounts(self) -> dict[str, dict[str, Any]]:
        """accounts.json's accounts: 'google' is the service account."""
        return {"google": self.account}


def setup_google(fake: FakeGoogle, name: str = "google") -> GoogleSetup:
    """A service account on `fake` with its key in the (test) keychain, and a spreadsheet
    with tabs 'Orders' (a header row) and '訂單' (empty), shared with the account."""
    key = fake.add_service_account(ROBOT)
    set_secret(name, json.dumps(key))
    account = service_account_entry(key, api_base=fake.url)
    fake.add_spreadsheet(SHEET_ID, {"Orders": [list(HEADER)], "訂單": []}, {ROBOT})
    return GoogleSetup(fake, key, account)


@pytest.fixture
def fake_google() -> Iterator[FakeGoogle]:
    """A fake Google served on 127.0.0.1 for one test."""
    with FakeGoogle() as fake:
        yield fake
