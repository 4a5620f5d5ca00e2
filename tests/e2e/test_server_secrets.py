"""`bellhop serve` on a server without a keychain: secrets from systemd credentials and
container secret files, over real processes, a real SMTP server and the fake Google."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.fake_google import FakeGoogle

from .conftest import (
    SAMPLES,
    Bellhop,
    Served,
    files_containing,
    free_port,
    new_token,
    post,
    request,
    wait_until,
    webhook_rule,
)
from .test_serve import ACCOUNT, SMTP_PASSWORD, SMTP_USER, SmtpServer, email_step
from .test_sheets import ROBOT, SHEET_ID, key_file

NO_KEYCHAIN = "keyring.backends.fail.Keyring"
SAMPLE = SAMPLES / "shopify_order_create.json"
SIGNING_SECRET = "shpss_7f3a-from-a-container-secret"
pytestmark = pytest.mark.filterwarnings(  # AUTH over plain SMTP is the point of this test server
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server with AUTH on a free port, listening."""
    server = SmtpServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def credentials(tmp_path: Path) -> Path:
    """A folder like the one systemd makes for LoadCredential= (read-only for the service)."""
    folder = tmp_path / "credentials"
    folder.mkdir()
    return folder


def give(folder: Path, name: str, value: str) -> Path:
    """Write a secret file as `echo VALUE > FILE` would (one trailing newline), mode 0400."""
    path = folder / name
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o400)
    return path


def server_env(bellhop: Bellhop, credentials: Path) -> dict[str, str]:
    """No keychain at all (keyring's fail backend) and systemd's credentials folder."""
    return {**bellhop.env, "PYTHON_KEYRING_BACKEND": NO_KEYCHAIN,
            "CREDENTIALS_DIRECTORY": str(credentials)}


def smtp_accounts(bellhop: Bellhop, smtp: SmtpServer) -> None:
    bellhop.write_accounts({ACCOUNT: {
        "kind": "smtp", "host": "127.0.0.1", "port": smtp.port, "security": "none",
        "username": SMTP_USER, "from": "shop@example.com"}})


def stderr_with(served: Served, text: str) -> str:
    """Wait until the server's standard error holds `text`; all of it."""
    return wait_until(lambda: text in (err := served.stderr()) and err, 15,
                      f"{text!r} on standard error")


def signed_post(port: int, token: str, body: bytes, secret: str) -> tuple[int, dict[str, str]]:
    digest = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    status, raw = request(port, "POST", f"/hooks/{token}", body, {
        "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": digest})
    return status, json.loads(raw)


def test_serve_without_a_keychain_sends_mail_with_a_systemd_credential(
        bellhop: Bellhop, smtp: SmtpServer, credentials: Path) -> None:
    give(credentials, ACCOUNT, SMTP_PASSWORD)
    smtp_accounts(bellhop, smtp)
    token = new_token()
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [email_step()])])
    served = bellhop.start(None, env=server_env(bellhop, credentials))
    served.wait_healthy()
    served.wait_stdout(f"Orders → {served.url(token)}")

    status, answer = post(served.port, token, SAMPLE.read_bytes())
    assert status == 202, answer
    wait_until(smtp.inbox.count, 15, "the warehouse email")
    got = smtp.inbox.messages[0]
    assert got.authenticated and [ok for __, ok in smtp.inbox.logins] == [True]
    assert got.message["Subject"] == "訂單 #1042"
    assert bellhop.wait_run(answer["event_id"]) == "succeeded"
    served.stop()
    assert "cannot find" not in served.stderr() and "Traceback" not in served.stderr()
    # Read only: nothing secret went to the data home, nor to a keychain file.
    assert files_containing(bellhop.home, SMTP_PASSWORD) == []
    assert not bellhop.keyring_path.exists()


def test_serve_names_a_missing_secret_at_start_and_still_serves(
        bellhop: Bellhop, smtp: SmtpServer, credentials: Path, secret_files: Path) -> None:
    give(secret_files, "shopify-signing", SIGNING_SECRET)  # a container secret
    smtp_accounts(bellhop, smtp)  # …but no password anywhere
    token = new_token()
    rule = webhook_rule("r1", "Orders", token, [email_step()])
    rule["trigger"]["verify"] = {"scheme": "shopify", "secret": "shopify-signing"}
    bellhop.write_rules([rule])
    served = bellhop.start(None, env=server_env(bellhop, credentials))
    served.wait_healthy()  # it starts all the same
    err = stderr_with(served, "Bellhop cannot find 1 secret it needs; what uses it fails "
                              "until it is given:")
    assert "  • office-smtp: the password of the email account “office-smtp” (rule “Orders”)" \
        in err
    assert ("    Put it in a file and give that file to Bellhop as a systemd credential named "
            "“office-smtp” (e.g. in the service's unit: LoadCredential=office-smtp:"
            f"/etc/credstore/office-smtp) or as the container secret {secret_files}/office-smtp."
            ) in err
    assert "shopify-signing" not in err  # found in the container's secrets

    # The signature is checked with the container secret; the email step fails plainly.
    status, answer = signed_post(served.port, token, SAMPLE.read_bytes(), SIGNING_SECRET)
    assert status == 202, answer
    assert bellhop.wait_run(answer["event_id"]) == "failed"
    out = served.wait_stdout(f"Orders  {answer['event_id']}  FAILED: ")
    assert (f"Bellhop could not find the secret 'office-smtp': this computer has no keychain, "
            f"and no file holds it ({credentials / 'office-smtp'}, "
            f"{secret_files / 'office-smtp'}).") in out
    assert smtp.inbox.count() == 0
    status, answer = signed_post(served.port, token, SAMPLE.read_bytes(), "a wrong secret")
    assert status == 401
    served.stop()
    assert "Traceback" not in served.stderr()


def test_secret_set_without_a_keychain_says_how_to_give_it_on_a_server(
        bellhop: Bellhop, secret_files: Path) -> None:
    env = {**bellhop.env, "PYTHON_KEYRING_BACKEND": NO_KEYCHAIN}
    done = bellhop.cli("secret", "set", "office mail", stdin="pa55 word\n", env=env)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines()[:2] == [
        "There is no keychain on this computer, so Bellhop cannot save 'office mail'.",
        "Bellhop never writes secrets to its data folder. On a server, give the secret as a "
        "file instead. Put it in a file and give that file to Bellhop as a systemd credential "
        "named “office%20mail” (e.g. in the service's unit: LoadCredential=office%%20mail:"
        f"/etc/credstore/office%%20mail) or as the container secret {secret_files}/office%20mail.",
    ]
    assert "Traceback" not in done.stderr
    assert list(bellhop.home.iterdir()) == [] and not bellhop.keyring_path.exists()

    give(secret_files, "office%20mail", "pa55 word")
    done = bellhop.cli("secret", "set", "office mail", stdin="new\n", env=env)
    assert done.returncode == 1
    assert (f"Bellhop already reads 'office mail' from {secret_files / 'office%20mail'}."
            in done.stderr)
    done = bellhop.cli("secret", "delete", "office mail", env=env)
    assert done.returncode == 1 and "never changes" in done.stderr
    assert (secret_files / "office%20mail").read_text() == "pa55 word\n"


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    with FakeGoogle() as google:
        yield google


def test_a_google_key_file_given_as_a_credential_adds_rows(
        bellhop: Bellhop, fake: FakeGoogle, credentials: Path) -> None:
    env = server_env(bellhop, credentials)
    path, key = key_file(bellhop.root, fake)
    done = bellhop.cli("account", "import-google", "google", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert "did not keep the key" in done.stdout and "LoadCredential=google:" in done.stdout
    assert files_containing(bellhop.home, key["private_key"].splitlines()[2]) == []
    accounts = json.loads((bellhop.home / "accounts.json").read_text(encoding="utf-8"))
    accounts["accounts"]["google"]["api_base"] = fake.url
    bellhop.write_accounts(accounts["accounts"])
    give(credentials, "google", path.read_text(encoding="utf-8"))  # LoadCredential=google:KEY

    fake.add_spreadsheet(SHEET_ID, {"Orders": [["Order", "Total"]]}, {ROBOT})
    token = new_token()
    bellhop.write_rules([webhook_rule("orders", "Order to sheet", token, [
        {"type": "append_sheet", "account": "google", "spreadsheet": SHEET_ID,
         "sheet": "Orders", "values": "text",
         "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}"}}])])
    served = bellhop.start(None, env=env)
    served.wait_healthy()
    status, answer = post(served.port, token, SAMPLE.read_bytes())
    assert status == 202, answer
    assert bellhop.wait_run(answer["event_id"]) == "succeeded"
    assert fake.rows(SHEET_ID, "Orders")[1] == ["#1042", "1640.00"]
    served.stop()
    assert "cannot find" not in served.stderr()
