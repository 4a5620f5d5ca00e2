"""Mail out through a kept connection: one SMTP connection per account, paced.

Opening a connection (TCP, TLS, login) costs more than sending a message, and mail
providers limit both connections and messages a minute. So the messages of one account
go one after the other through one open connection while more are waiting; it is
closed politely (QUIT) once idle for IDLE_SECONDS, and opened again, once, when the
server dropped it. An account's pace (messages a minute) comes from its
`per_minute` setting in accounts.json, else a preset for its provider.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import aiosmtplib

from bellhop.core.services.pacing import Budget

log = logging.getLogger("bellhop.smtp")
IDLE_SECONDS = 10.0  # an open connection with nothing to send is closed after this
# Messages a minute by the server's name when the account sets none (0: no pace).
# Gmail lets an account send a few thousand a day, Outlook 30 a minute.
PRESETS = {
    "smtp.gmail.com": 20,
    "smtp.office365.com": 30,
    "smtp-mail.outlook.com": 30,
}


@dataclass(frozen=True)
class Server:
    """Where and how an account sends: the connection is kept while these stay the same."""

    host: str
    port: int
    security: str  # "ssl", "starttls" or "none"
    username: str
    password: str | None
    timeout: float


def pace_of(account: Mapping[str, Any]) -> int:
    """Messages a minute for an account: its own `per_minute`, else its provider's."""
    own = account.get("per_minute")
    if isinstance(own, int) and not isinstance(own, bool) and own >= 0:
        return own
    return PRESETS.get(str(account.get("host") or "").strip().lower(), 0)


class AccountMail:
    """One account's kept connection; `send` waits its turn and its pace."""

    def __init__(self, per_minute: int) -> None:
        self._lock = asyncio.Lock()
        self._client: aiosmtplib.SMTP | None = None
        self._server: Server | None = None
        self._closer: asyncio.TimerHandle | None = None
        self.per_minute = per_minute
        self._pace = Budget(per_minute) if per_minute else None
        self.connections = 0  # opened so far (tests and benchmarks look)

    async def send(self, server: Server, message: EmailMessage, sender: str,
                   recipients: list[str]) -> tuple[dict[str, Any], str]:
        """Send one message; raises aiosmtplib's errors (or OSError) as they come."""
        if self._pace is not None:
            await self._pace.take()
        async with self._lock:
            self._cancel_close()
            try:
                for attempt in (1, 2):
                    reused = self._client is not None and self._server == server
                    client = await self._connected(server)
                    try:
                        return await client.send_message(message, sender=sender,
                                                         recipients=recipients)
                    except aiosmtplib.SMTPServerDisconnected:
                        await self._drop()
                        if not reused or attempt == 2:
                            raise
                        # a kept connection the server closed meanwhile: a new one, once
                    except aiosmtplib.SMTPResponseException as exc:
                        if exc.code == 421:  # the server is closing this connection
                            await self._drop()
                        else:
                            await self._reset()
                        raise
                    except aiosmtplib.SMTPRecipientsRefused:
                        await self._reset()
                        raise
                    except BaseException:
                        await self._drop()
                        raise
                raise AssertionError("unreachable")
            finally:
                self._close_later()

    async def _connected(self, server: Server) -> aiosmtplib.SMTP:
        if self._client is not None and self._server == server and self._client.is_connected:
            return self._client
        await self._drop()
        client = aiosmtplib.SMTP(hostname=server.host, port=server.port,
                                 use_tls=server.security == "ssl",
                                 start_tls=server.security == "starttls",
                                 timeout=server.timeout)
        await client.connect()
        self.connections += 1
        if server.username:
            try:
                await client.login(server.username, server.password or "")
            except BaseException:
                with contextlib.suppress(Exception):
                    client.close()
                raise
        self._client, self._server = client, server
        return client

    async def _reset(self) -> None:
        """After a refused message: RSET, so the connection is clean for the next one."""
        if self._client is None:
            return
        try:
            await self._client.rset()
        except (aiosmtplib.SMTPException, OSError, ssl.SSLError):
            await self._drop()

    async def _drop(self) -> None:
        client, self._client, self._server = self._client, None, None
        if client is not None and client.is_connected:
            try:
                await asyncio.wait_for(client.quit(), 5.0)
            except (aiosmtplib.SMTPException, OSError, ssl.SSLError, TimeoutError):
                client.close()

    def _close_later(self) -> None:
        if self._client is not None:
            loop = asyncio.get_running_loop()
            self._closer = loop.call_later(IDLE_SECONDS,
                                           lambda: _in_background(self.close_if_idle()))

    def _cancel_close(self) -> None:
        if self._closer is not None:
            self._closer.cancel()
            self._closer = None

    async def close_if_idle(self) -> None:
        """QUIT the kept connection unless a message is being sent."""
        if self._lock.locked():
            return
        async with self._lock:
            await self._drop()

    async def close(self) -> None:
        """QUIT now (the engine stops)."""
        self._cancel_close()
        async with self._lock:
            await self._drop()


class MailConnections:
    """Every account's kept connection, by account name."""

    def __init__(self) -> None:
        self._by_account: dict[str, AccountMail] = {}

    def of(self, name: str, account: Mapping[str, Any]) -> AccountMail:
        """The account's connection keeper (made again when its pace setting changed)."""
        found = self._by_account.get(name)
        per_minute = pace_of(account)
        if found is None or found.per_minute != per_minute:
            if found is not None:  # the old one's connection is closed politely
                _in_background(found.close())
            found = self._by_account[name] = AccountMail(per_minute)
        return found

    async def close(self) -> None:
        """QUIT every kept connection."""
        await asyncio.gather(*(mail.close() for mail in self._by_account.values()),
                             return_exceptions=True)


def connections_of(shared: dict[str, Any]) -> MailConnections:
    """The engine's one MailConnections."""
    found = shared.get("smtp.connections")
    if found is None:
        found = shared["smtp.connections"] = MailConnections()
    return found


_closing: set[asyncio.Task[None]] = set()


def _in_background(coro: Coroutine[Any, Any, None]) -> None:
    """Say goodbye to a server without waiting; the task is kept until it ends, since
    asyncio holds tasks only weakly and the collector may end a task nobody refers to."""
    task = asyncio.get_running_loop().create_task(coro)
    _closing.add(task)
    task.add_done_callback(_closing.discard)
