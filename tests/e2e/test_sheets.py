"""Shopify order → Google Sheets over real processes: `bellhop account import-google`, then
`bellhop serve` appending rows to the fake Google (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.fake_google import FakeGoogle

from .conftest import SAMPLES, Bellhop, files_containing, new_token, post, webhook_rule

ROBOT = "orders-bot@shop-project.iam.gserviceaccount.com"
SHEET_ID = "1ShopOrdersSheet_0123456789abcdefghijklmnopq"
SAMPLE = SAMPLES / "shopify_order_create.json"


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    with FakeGoogle() as google:
        yield google


def key_file(root: Path, fake: FakeGoogle) -> tuple[Path, dict[str, str]]:
    key = fake.add_service_account(ROBOT)
    path = root / "shop-project-1a2b3c.json"
    path.write_text(json.dumps(key), encoding="utf-8")
    return path, key


def test_import_google_explains_bad_files(bellhop: Bellhop) -> None:
    done = bellhop.cli("account", "import-google", "google", str(bellhop.root / "nope.json"))
    assert done.returncode == 1 and "There is no file" in done.stderr
    client = bellhop.root / "client_secret.json"
    client.write_text(json.dumps({"installed": {"client_id": "x"}}), encoding="utf-8")
    done = bellhop.cli("account", "import-google", "google", str(client))
    assert done.returncode == 1 and "not a service-account key" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (bellhop.home / "accounts.json").exists()


def test_shopify_order_lands_in_the_sheet(bellhop: Bellhop, fake: FakeGoogle) -> None:
    path, key = key_file(bellhop.root, fake)
    done = bellhop.cli("account", "import-google", "google", str(path))
    assert done.returncode == 0, done.stderr
    assert ROBOT in done.stdout  # "share your spreadsheets with …"
    assert json.loads(bellhop.keychain()["bellhop/google"])["private_key"] == key["private_key"]
    secret_line = key["private_key"].splitlines()[2]
    assert files_containing(bellhop.home, secret_line) == []
    accounts = json.loads((bellhop.home / "accounts.json").read_text(encoding="utf-8"))
    account = accounts["accounts"]["google"]
    assert account["client_email"] == ROBOT and account["token_uri"] == f"{fake.url}/token"
    account["api_base"] = fake.url  # the one setting a proxy (or a test) changes
    bellhop.write_accounts(accounts["accounts"])

    fake.add_spreadsheet(SHEET_ID, {"Orders": [["Order", "Date", "Phone", "City", "Total"]]},
                         {ROBOT})
    token = new_token()
    bellhop.write_rules([webhook_rule("orders", "Shopify order to sheet", token, [
        {"type": "append_sheet", "account": "google",
         "spreadsheet": f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit#gid=0",
         "sheet": "Orders", "values": "text",
         "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}",
                     "Phone": "{{ body.customer.phone }}",
                     "City": "{{ body.shipping_address.city }}"},
         "retry": {"attempts": 3, "first_delay": 0.1}}])])
    served = bellhop.serve()
    order = json.loads(SAMPLE.read_text(encoding="utf-8"))

    status, answer = post(served.port, token, SAMPLE.read_bytes())
    assert 200 <= status < 300
    assert bellhop.wait_run(answer["event_id"]) == "succeeded"
    rows = fake.rows(SHEET_ID, "Orders")
    assert rows[1] == [order["name"], None, order["customer"]["phone"],
                       order["shipping_address"]["city"], order["total_price"]]
    assert rows[1][2].startswith("0")  # plain text: the phone number keeps its 0
    output = bellhop.query("SELECT output FROM step_runs WHERE run_id IN "
                           "(SELECT id FROM runs WHERE event_id = ?)", answer["event_id"])
    assert json.loads(output[0][0])["range"] == "Orders!A2:E2"

    fake.fail_next.append((429, {"Retry-After": "1"}))  # Google is busy once
    status, answer = post(served.port, token, SAMPLE.read_bytes().replace(b"#1042", b"#1043"))
    assert bellhop.wait_run(answer["event_id"]) == "succeeded"
    assert fake.rows(SHEET_ID, "Orders")[2][0] == "#1043"
    attempts = bellhop.query("SELECT attempts FROM step_runs WHERE run_id IN "
                             "(SELECT id FROM runs WHERE event_id = ?)", answer["event_id"])
    assert attempts == [(1,)]  # the 429 was waited out within the step's one try
    assert fake.fail_next == []
    served.stop()
