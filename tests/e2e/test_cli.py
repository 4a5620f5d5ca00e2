"""The `bellhop` command as a user meets it: version, secrets, broken files, a busy or bad home."""

from __future__ import annotations

import json
import socket

from bellhop import __version__

from .conftest import (
    Bellhop,
    files_containing,
    free_port,
    new_token,
    post,
    request,
    webhook_rule,
)


def test_version(bellhop: Bellhop) -> None:
    """`bellhop --version` prints the package version and exits 0."""
    done = bellhop.cli("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Bellhop {__version__}"


def test_secret_goes_to_the_keychain_and_nowhere_else(bellhop: Bellhop) -> None:
    """`secret set` reads stdin into the keychain; no file of the data home ever holds it."""
    value = "päss-8d2f-密碼-only-here"
    done = bellhop.cli("secret", "set", "office-smtp", stdin=value + "\r\n")
    assert done.returncode == 0, done.stderr
    assert "office-smtp" in done.stdout and value not in done.stdout + done.stderr
    assert bellhop.keychain() == {"bellhop/office-smtp": value}  # line ending stripped

    empty = bellhop.cli("secret", "set", "other", stdin="\n")
    assert empty.returncode == 1 and "Nothing was entered" in empty.stderr
    assert "bellhop/other" not in bellhop.keychain()

    # Let Bellhop run with an account that references the secret, then search its home.
    bellhop.write_accounts({"office-smtp": {
        "kind": "smtp", "host": "127.0.0.1", "port": free_port(), "security": "none",
        "username": "bot", "from": "shop@example.com"}})
    token = new_token()
    bellhop.write_rules([webhook_rule("r1", "Mail", token, [
        {"type": "send_email", "account": "office-smtp", "to": "a@example.com",
         "subject": "hi", "body": "x", "retry": {"attempts": 1, "first_delay": 0}}])])
    served = bellhop.serve()
    status, answer = post(served.port, token, b'{"a": 1}')
    assert status == 202
    assert bellhop.wait_run(answer["event_id"]) == "failed"  # nothing listens on that port
    served.stop()
    assert {"accounts.json", "events.db", "bellhop.log"} <= {p.name for p in bellhop.home.iterdir()}
    assert files_containing(bellhop.home, value) == []

    gone = bellhop.cli("secret", "delete", "office-smtp")
    assert gone.returncode == 0 and bellhop.keychain() == {}
    again = bellhop.cli("secret", "delete", "office-smtp")
    assert again.returncode == 1 and "no secret" in again.stderr


def test_a_broken_rules_file_stays_and_serve_says_where_the_mistake_is(
        bellhop: Bellhop) -> None:
    """serve starts with a broken rules.json: the file stays, its tokens answer 503, the
    console names line and column; a typo while running keeps the last good rules, and
    the reload after the fix prints each problem (rule, card, field, message)."""
    token = new_token()
    text = ('{"version": 1, "rules": [\n'
            f'  {{"id": "r1", "name": "Orders", "trigger": {{"type": "webhook", '
            f'"token": "{token}"}} "steps": []}}\n]}}\n')
    (bellhop.home / "rules.json").write_text(text, encoding="utf-8")
    served = bellhop.serve()
    served.wait_stdout("No rules yet")
    assert [p.name for p in bellhop.home.glob("rules.json*")] == ["rules.json"]
    assert (bellhop.home / "rules.json").read_text(encoding="utf-8") == text
    message = served.stderr()
    assert "rules.json, line 2, column 100: a comma is missing before this." in message
    assert "Traceback" not in message and "JSONDecodeError" not in message
    assert post(served.port, token, b"{}")[0] == 503  # Shopify and friends try again later

    good = webhook_rule("r1", "Orders", token, [])
    bellhop.write_rules([good])
    served.wait_stdout("rules.json changed: 1 rule in use.")
    assert post(served.port, token, b"{}")[0] == 202

    (bellhop.home / "rules.json").write_text(text.replace('"steps"', '"steps": [],'),
                                             encoding="utf-8")
    served.wait_stdout("rules.json, line 2, column ")
    assert "keeps running the rules it had" in served.stdout()
    assert post(served.port, token, b"{}")[0] == 202  # the last good rule runs on

    bellhop.write_rules([good, webhook_rule("r2", "Mail", new_token(), [
        {"type": "send_email", "account": "nobody", "to": "a@example.com"},
        {"type": "send_email", "account": "nobody", "to": ""}])])
    served.wait_stdout("1 of them cannot run:")
    out = served.stdout()
    assert "rules.json can be read again." in out
    assert ("“Mail”: Step 1 (Send email): Email account: there is no email account called "
            "'nobody'. Add it under Accounts, or choose another.") in out
    assert "“Mail”: Step 2 (Send email): the field 'To' is empty" in out
    served.stop()


def test_second_serve_on_the_same_home_is_refused(bellhop: Bellhop) -> None:
    """A second `bellhop serve` on a busy data home exits non-zero saying Bellhop already runs."""
    first = bellhop.serve()
    second = bellhop.start()
    code = second.proc.wait(30)
    assert code != 0
    assert "already running" in second.stderr()
    assert "Traceback" not in second.stderr()
    assert first.healthy()
    first.stop()


def test_data_home_that_cannot_be_created(bellhop: Bellhop) -> None:
    """BELLHOP_HOME under a regular file: a plain message, no traceback, exit code non-zero.

    Tests may run as root, which ignores permission bits, so the home is made
    impossible by its parent being a file rather than by chmod.
    """
    blocker = bellhop.root / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    env = dict(bellhop.env, BELLHOP_HOME=str(blocker / "home"))
    served = bellhop.start(None, env=env)
    code = served.proc.wait(30)
    assert code != 0
    err = served.stderr()
    assert "cannot write to its data folder" in err and str(blocker / "home") in err
    assert "Traceback" not in err


def test_port_in_use_is_explained(bellhop: Bellhop) -> None:
    """Another program on the port: a plain message naming the port and --port, exit 1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        served = bellhop.start(port)
        code = served.proc.wait(30)
    assert code == 1
    err = served.stderr()
    assert f"could not listen on port {port}" in err and "--port" in err
    assert "Traceback" not in err


def test_events_lists_nothing_on_a_fresh_home(bellhop: Bellhop) -> None:
    """`bellhop events` on a home without a database says so instead of creating one."""
    done = bellhop.cli("events")
    assert done.returncode == 0 and "No events yet" in done.stdout
    assert not (bellhop.home / "events.db").exists()


def test_selftest(bellhop: Bellhop) -> None:
    """`bellhop --selftest` posts a webhook to itself and exits 0."""
    done = bellhop.cli("--selftest", timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert json.loads(last)["selftest"] == "ok", done.stdout


def test_events_refused_lists_turned_away_deliveries_with_the_fix(bellhop: Bellhop) -> None:
    """`bellhop events --refused` names the rule, the status, how often and what to do; the
    ordinary `bellhop events` output is unchanged by them."""
    assert "No deliveries were turned away" in bellhop.cli("events", "--refused").stdout
    token = new_token()
    bellhop.write_rules([webhook_rule("r1", "Orders", token, [])])
    served = bellhop.serve()
    for _ in range(3):
        assert post(served.port, new_token(), b"{}")[0] == 404
    assert request(served.port, "GET", f"/hooks/{token}", b"", {})[0] == 405
    served.stop()
    done = bellhop.cli("events", "--refused")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert "  Orders  405  ×1  This address does not take GET requests: the sender must POST." \
        in lines[0]
    assert "  (no rule)  404  ×3  No rule has this address: " in lines[1]
    assert "No events yet" in bellhop.cli("events").stdout
