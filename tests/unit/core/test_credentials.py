"""Credentials a sender sends never reach the data home, the Activity or a template.

Deliveries go over real loopback sockets, byte by byte, so each knows its road: the
fast path's answers carry no `Server` header, aiohttp's do.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import sqlite3
from pathlib import Path
from typing import Any, get_args

import pytest
from enginekit import Probe, collect, make_rule, start_app, token_of
from multidict import CIMultiDict

from bellhop.core.inbox.credentials import ALWAYS_HIDDEN, HIDDEN, header_values, hidden_headers
from bellhop.core.inbox.fastpath import LowerHeaders
from bellhop.core.inbox.verify import SCHEMES, Rejected, check_delivery
from bellhop.core.platform.secrets import set_secret
from bellhop.core.running.rules import VerifyConfig
from bellhop.core.storage import schema
from bellhop.core.storage.store import EventStore, connect
from bellhop.service import Bellhop

BODY = json.dumps({"id": 1001, "name": "#1001"}).encode()
BASIC = "Basic " + base64.b64encode(b"shop:BASIC-pa55-0417").decode()
PROXY = "Basic " + base64.b64encode(b"proxy:PROXY-pa55-0923").decode()
COOKIE = "session=COOKIE-s3ss10n-7781"
TOKEN = "TOKEN-s3cr3t-5512"
GITHUB_SECRET = "github-signing-secret"
SIGNATURE_256 = "sha256=" + hmac.new(GITHUB_SECRET.encode(), BODY, hashlib.sha256).hexdigest()
SIGNATURE_1 = "sha1=" + hmac.new(GITHUB_SECRET.encode(), BODY, hashlib.sha1).hexdigest()
SECRETS = [BASIC, PROXY, COOKIE, TOKEN, SIGNATURE_256, SIGNATURE_1,
           "BASIC-pa55-0417", "PROXY-pa55-0923", "COOKIE-s3ss10n-7781",
           SIGNATURE_256.removeprefix("sha256="), SIGNATURE_1.removeprefix("sha1=")]
# Headers a check reads that carry no secret (a time stamp, the sender's id).
PUBLIC = {"x-slack-request-timestamp", "webhook-id", "webhook-timestamp"}


def request(token: str, *headers: str, method: str = "POST", body: bytes = BODY,
            chunked: bool = False) -> bytes:
    head = f"{method} /hooks/{token} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    head += "Content-Type: application/json\r\n"
    head += "".join(f"{line}\r\n" for line in headers)
    if chunked:
        return (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + (
            b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def send(app: Bellhop, data: bytes) -> tuple[int, bool]:
    """The status of the answer, and whether the fast path gave it."""
    assert app.receiver is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", app.receiver.port)
    try:
        writer.write(data)
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    finally:
        writer.close()
    lines = head.decode("latin-1").lower().split("\r\n")
    return int(lines[0].split()[1]), not any(line.startswith("server:") for line in lines)




def files_holding(folder: Path, secrets: list[str]) -> list[tuple[str, str]]:
    """(file, secret) for every secret found, as bytes, in any file under `folder`."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [(path.name, secret) for secret in secrets if secret.encode() in data]
    return found


# --- which headers are credentials ------------------------------------------------------------

class AskedHeaders(dict[str, str]):
    """Headers that answer '1' to any name, and remember the names asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        self.asked.add(name.lower())
        return "1"


def test_every_scheme_of_the_rules_declares_the_headers_its_check_reads() -> None:
    assert set(get_args(VerifyConfig.model_fields["scheme"].annotation)) == set(SCHEMES)
    for scheme in SCHEMES:
        config = VerifyConfig(scheme=scheme, secret="s", header="X-Api-Key", username="u")
        headers = AskedHeaders()
        with pytest.raises(Rejected):
            check_delivery(config, "s", BODY, headers, 0.0)
        hidden = hidden_headers(config)
        assert headers.asked and headers.asked - PUBLIC <= hidden, scheme
        assert hidden >= ALWAYS_HIDDEN


def test_the_rules_verify_header_and_github_signatures_are_hidden() -> None:
    header = VerifyConfig(scheme="header", secret="s", header="X-Token")
    assert hidden_headers(header) == ALWAYS_HIDDEN | {"x-token"}
    github = VerifyConfig(scheme="github", secret="s")
    assert {"x-hub-signature-256", "x-hub-signature"} <= hidden_headers(github)
    assert hidden_headers(None) == {"authorization", "proxy-authorization", "cookie",
                                    "set-cookie"}


def test_header_values_keep_names_and_hide_values_on_both_kinds_of_headers() -> None:
    verify = VerifyConfig(scheme="header", secret="s", header="X-Token")
    short = LowerHeaders({"authorization": BASIC, "cookie": COOKIE, "x-token": TOKEN,
                          "x-other": "keep"})
    long = CIMultiDict([("Authorization", BASIC), ("Cookie", "a=1"), ("Cookie", COOKIE),
                        ("X-TOKEN", TOKEN), ("Set-Cookie", "x=2"), ("X-Other", "keep")])
    for headers in (short, long):
        values = header_values(headers, verify)
        assert values["authorization"] == values["cookie"] == values["x-token"] == HIDDEN
        assert values["x-other"] == "keep"
        assert not any(secret in json.dumps(values) for secret in SECRETS)
    assert header_values(long, verify)["set-cookie"] == HIDDEN
    plain = LowerHeaders({"content-type": "application/json", "x-other": "keep"})
    assert header_values(plain, verify) == dict(plain)


# --- deliveries over the wire -----------------------------------------------------------------

@pytest.fixture
async def app(home: Path) -> Any:
    set_secret("tok", TOKEN)
    set_secret("gh", GITHUB_SECRET)
    shows = "{{ headers.authorization }}|{{ headers.cookie }}|" \
            "{{ headers['proxy-authorization'] }}|{{ headers['x-other'] }}"
    rules = [
        make_rule([{"type": "probe", "text": shows}], rule_id="plain",
                  methods=["POST", "PUT"]),
        make_rule([{"type": "probe", "text": "{{ headers['x-token'] }}|" + shows}],
                  rule_id="token", verify={"scheme": "header", "header": "X-Token",
                                           "secret": "tok"}),
        make_rule([{"type": "probe", "text": "{{ headers['x-hub-signature-256'] }}|"
                                             "{{ headers['x-hub-signature'] }}"}],
                  rule_id="github", verify={"scheme": "github", "secret": "gh"}),
    ]
    started = await start_app(home, rules, probe := Probe())
    started.probe = probe  # type: ignore[attr-defined]
    yield started
    if started.engine is not None:
        await started.stop()


SENDER = (f"Authorization: {BASIC}", f"Cookie: {COOKIE}", f"Proxy-Authorization: {PROXY}",
          "X-Other: keep")


async def test_no_credential_reaches_the_data_home_the_activity_or_a_template(
        app: Bellhop, home: Path) -> None:
    _, finished = collect(app)
    plain, token, github = (token_of(app, rule) for rule in ("plain", "token", "github"))
    assert app.engine is not None
    app.engine.capture_next("token")  # a sample: stored without any check
    assert (await send(app, request(token, f"X-Token: {TOKEN}", *SENDER)))[0] == 202
    answers = [
        await send(app, request(plain, *SENDER)),
        await send(app, request(plain, *SENDER, chunked=True)),
        await send(app, request(plain, *SENDER, method="PUT")),
        await send(app, request(token, f"X-Token: {TOKEN}", *SENDER)),
        await send(app, request(token, f"X-Token: {TOKEN}", *SENDER, chunked=True)),
        await send(app, request(github, f"X-Hub-Signature-256: {SIGNATURE_256}",
                                f"X-Hub-Signature: {SIGNATURE_1}", *SENDER)),
    ]
    assert [status for status, _ in answers] == [202] * 6
    assert [short for _, short in answers] == [True, False, False, True, False, True]
    # The checks still see the real values: a wrong one is refused, as before.
    assert (await send(app, request(token, "X-Token: wrong", *SENDER)))[0] == 401
    assert (await send(app, request(github, "X-Hub-Signature-256: sha256=00")))[0] == 401
    await finished(6)

    rows = await app.store.read(lambda conn: conn.execute(
        "SELECT rule_id, state, headers FROM events ORDER BY seq").fetchall())
    assert [rule for rule, _, _ in rows] == ["token", *["plain"] * 3, *["token"] * 2, "github"]
    assert [state == "sample" for _, state, _ in rows] == [True] + [False] * 6
    for rule, _, text in rows:
        headers = json.loads(text)
        for name in ("authorization", "cookie", "proxy-authorization"):
            assert headers[name] == HIDDEN, (rule, name)
        assert headers["x-other"] == "keep"
        if rule == "token":
            assert headers["x-token"] == HIDDEN
        if rule == "github":
            assert headers["x-hub-signature-256"] == headers["x-hub-signature"] == HIDDEN
    texts = sorted(call["text"] for call in app.probe.calls)  # type: ignore[attr-defined]
    shown = "(hidden)|(hidden)|(hidden)|keep"
    assert texts == sorted([shown] * 3 + [f"(hidden)|{shown}"] * 2 + ["(hidden)|(hidden)"])

    running = {p.name for p in home.rglob("*") if p.is_file()}
    assert {"events.db", "events.db-wal"} <= running
    assert files_holding(home, SECRETS) == []  # while running: the WAL holds the new rows
    await app.stop()
    app.engine = None  # stopped here: the fixture need not
    assert files_holding(home, SECRETS) == []


# --- events stored before this -----------------------------------------------------------------

def old_database(path: Path) -> None:
    """An events.db of schema 3 (before credentials were hidden), holding some."""
    conn = connect(path)
    for migration in schema.MIGRATIONS[:3]:
        for statement in migration.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    for n in range(60):
        headers: dict[str, str] = {"content-type": "application/json", "x-other": f"keep{n}",
                                   "authorization": BASIC, "cookie": COOKIE}
        if n % 2:
            headers["proxy-authorization"] = PROXY
            headers["set-cookie"] = COOKIE
        if n % 3 == 0:
            headers = {"content-type": "application/json", "x-other": f"keep{n}"}
        conn.execute(
            "INSERT INTO events (id, rule_id, received_at, received_ts, method, query, headers,"
            " content_type, body) VALUES (?, 'r1', '', 0, 'POST', '{}', ?, 'application/json',"
            " ?)", (f"ev_{n}", json.dumps(headers), BODY * 20))
    conn.close()


async def test_the_migration_hides_credentials_in_events_already_stored(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    old_database(path)
    assert files_holding(tmp_path, [BASIC, COOKIE, PROXY])
    store = EventStore(path)
    await store.open()
    try:
        assert await store.read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) \
            == schema.SCHEMA_VERSION
        events = {event.id: event for event in await store.recent_events(limit=100)}
    finally:
        await store.close()
    assert len(events) == 60
    for n in range(60):
        headers = events[f"ev_{n}"].headers
        assert headers["x-other"] == f"keep{n}" and headers["content-type"] == "application/json"
        if n % 3 == 0:
            assert set(headers) == {"content-type", "x-other"}  # nothing added
            continue
        assert headers["authorization"] == headers["cookie"] == HIDDEN
        assert ("proxy-authorization" in headers) == ("set-cookie" in headers) == bool(n % 2)
        assert headers.get("proxy-authorization", HIDDEN) == HIDDEN
        assert headers.get("set-cookie", HIDDEN) == HIDDEN
    assert files_holding(tmp_path, SECRETS) == []


def test_the_migration_leaves_no_copy_in_free_space_whatever_the_build(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    old_database(path)
    conn = connect(path)
    conn.execute("PRAGMA secure_delete = OFF")  # as many SQLite builds have it
    conn.execute("INSERT INTO events (id, rule_id, received_at, received_ts, method, query,"
                 " headers, content_type, body) VALUES ('bad', 'r1', '', 0, 'POST', '{}',"
                 " 'not json', '', x'')")  # a row that is not JSON is left as it is
    assert schema.migrate(conn) == 3
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 0  # the setting comes back
    assert conn.execute("SELECT headers FROM events WHERE id = 'bad'").fetchone()[0] \
        == "not json"
    conn.close()
    assert files_holding(tmp_path, SECRETS) == []


def test_a_database_of_the_current_schema_is_left_alone(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "events.db")
    assert schema.migrate(conn) == 0
    assert schema.migrate(conn) == schema.SCHEMA_VERSION
    conn.close()
