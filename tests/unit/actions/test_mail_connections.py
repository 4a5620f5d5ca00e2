"""Mail goes out through one kept connection per account, paced, against a real SMTP server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiosmtpd.controller import Controller

from bellhop.actions.send_email import ACTION, SendEmailConfig
from bellhop.core.errors import StepError
from bellhop.core.services import pacing, smtp
from bellhop.core.services.smtp import connections_of, pace_of
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.templating import make_context
from support.ports import free_port


class Counter:
    """An SMTP handler that counts sessions, messages and QUITs, and may refuse."""

    def __init__(self) -> None:
        self.sessions = 0
        self.quits = 0
        self.messages: list[str] = []
        self.data_replies: list[str] = []
        self.refuse: set[str] = set()
        self.hang_up = False  # close the connection after the next message

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        if self.hang_up:
            self.hang_up = False
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
        return "250 Message accepted"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self.quits += 1
        return "221 Bye"


@pytest.fixture
def counter() -> Counter:
    return Counter()


@pytest.fixture
def server(counter: Counter) -> Iterator[Controller]:
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
async def services(tmp_path: Path, server: Controller) -> AsyncIterator[Services]:
    accounts = {"office": {"kind": "smtp", "host": "127.0.0.1", "port": server.port,
                           "security": "none", "username": "", "from": "shop@example.com"}}
    async with aiohttp.ClientSession() as http:
        services = Services(home=tmp_path, accounts=lambda: accounts, http=http)
        yield services
        await connections_of(services.shared).close()


def config(to: str = "{{ body.to }}") -> SendEmailConfig:
    return SendEmailConfig.model_validate({"type": "send_email", "account": "office", "to": to,
                                           "subject": "Order {{ body.n }}", "body": "Hi"})


async def send(services: Services, n: int, to: str = "wh@example.com") -> dict[str, Any]:
    ctx = StepContext(services, make_context({"body": {"n": n, "to": to}}), "r", f"ev{n}", 1,
                      "Send email")
    return await ACTION.run(ctx, config())


async def test_messages_of_one_account_share_one_connection(
        services: Services, counter: Counter) -> None:
    await asyncio.gather(*(send(services, n) for n in range(40)))
    assert len(counter.messages) == 40
    assert counter.sessions == 1
    assert connections_of(services.shared).of("office", services.accounts()["office"]
                                              ).connections == 1


async def test_an_idle_connection_is_closed_politely(
        services: Services, counter: Counter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smtp, "IDLE_SECONDS", 0.1)
    await send(services, 1)
    assert counter.quits == 0  # kept for the next message
    await asyncio.sleep(0.5)
    assert counter.quits == 1
    await send(services, 2)  # and opened again when needed
    assert counter.sessions == 2 and len(counter.messages) == 2


async def test_a_connection_the_server_dropped_is_opened_again_once(
        services: Services, counter: Counter) -> None:
    counter.hang_up = True  # the server closes the kept connection after the first message
    await send(services, 1)
    await asyncio.sleep(0.2)
    await send(services, 2)
    assert len(counter.messages) == 2 and counter.sessions == 2


async def test_a_refused_message_leaves_the_connection_clean_for_the_next(
        services: Services, counter: Counter) -> None:
    counter.refuse = {"nobody@example.com"}
    with pytest.raises(StepError) as caught:
        await send(services, 1, to="nobody@example.com")
    assert not caught.value.transient and "nobody@example.com" in caught.value.message
    await send(services, 2)
    assert len(counter.messages) == 1 and counter.sessions == 1


@pytest.mark.parametrize(("reply", "wait", "words"), [
    ("550 5.4.5 Daily user sending limit exceeded.", 3600.0, "as many messages as it may"),
    ("421 4.7.28 Our system has detected an unusual rate of messages.", 60.0, "more slowly"),
    ("554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException", 3600.0,
     "as many messages as it may"),
    ("452 4.3.2 Too many messages for this session", 60.0, "more slowly"),
])
async def test_a_providers_limit_waits_rather_than_fails(
        services: Services, counter: Counter, reply: str, wait: float, words: str) -> None:
    counter.data_replies = [reply]
    with pytest.raises(StepError) as caught:
        await send(services, 1)
    assert caught.value.transient and caught.value.retry_after == wait
    assert words in caught.value.message and "'office'" in caught.value.message
    await send(services, 2)  # the next goes through (a new connection if it was closed)
    assert len(counter.messages) == 1


def test_an_accounts_pace_is_its_own_or_its_providers() -> None:
    assert pace_of({"host": "smtp.gmail.com"}) == 20
    assert pace_of({"host": "SMTP.office365.com "}) == 30
    assert pace_of({"host": "mail.example.com"}) == 0  # no pace
    assert pace_of({"host": "smtp.gmail.com", "per_minute": 5}) == 5
    assert pace_of({"host": "smtp.gmail.com", "per_minute": True}) == 20  # not a number


async def test_an_account_is_paced_to_its_messages_a_minute(
        services: Services, counter: Counter, monkeypatch: pytest.MonkeyPatch) -> None:
    services.accounts()["office"]["per_minute"] = 3
    window = 1.0
    real_budget = pacing.Budget
    monkeypatch.setattr(smtp, "Budget", lambda limit: real_budget(limit, window))
    sending = asyncio.gather(*(send(services, n) for n in range(5)))
    await asyncio.sleep(0.4)
    assert len(counter.messages) == 3  # the fourth waits for the window
    await sending
    assert len(counter.messages) == 5


async def test_a_changed_pace_says_goodbye_on_the_old_connection(
        services: Services, counter: Counter) -> None:
    await send(services, 1)
    services.accounts()["office"]["per_minute"] = 10  # the person changed the account
    await send(services, 2)  # a new keeper, a new connection; the old one is QUIT
    for _ in range(50):
        if counter.quits:
            break
        await asyncio.sleep(0.02)
    assert counter.quits == 1 and counter.sessions == 2 and len(counter.messages) == 2
