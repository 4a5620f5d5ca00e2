"""The ngrok provider: pyngrok starts the agent, a supervisor keeps the tunnel up.

pyngrok's calls block (they start a process and wait for its log lines), so they
run in a thread; the engine loop never waits on them. The supervisor polls the
agent process it started (never `get_ngrok_process`, which would start another)
and the agent's API; when either is gone it reports "down", restarts with backoff
(0.5 s, 1 s, 2 s… up to 30 s; a minute or more for refused authtokens) and reports
"up" again, with `url_changed` when the public address is new.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyngrok import conf, ngrok
from pyngrok.exception import PyngrokNgrokError, PyngrokNgrokInstallError

from bellhop.core.headless import worded
from bellhop.core.i18n import _
from bellhop.core.platform.secrets import how_to_save
from bellhop.core.services.ngrok_download import (
    DownloadFailed,
    agent_name,
    default_url,
    download_agent,
)
from bellhop.core.services.tunnel import AUTHTOKEN_PAGE, NGROK_SECRET, Tunnel

log = logging.getLogger("bellhop.tunnel")

POLL_SECONDS = 0.5
FIRST_BACKOFF = 0.5
MAX_BACKOFF = 30.0
AUTH_BACKOFF = 60.0  # a refused token does not get better by asking again at once
STABLE_SECONDS = 3.0  # up this long → the next death restarts after the first backoff again
AUTH_CODES = ("ERR_NGROK_105", "ERR_NGROK_107", "ERR_NGROK_4018", "authentication failed")
SESSION_LIMIT_CODES = ("ERR_NGROK_108",)


class TunnelFailed(Exception):
    """A connect attempt failed; `message` is for the person, `auth` slows the retries."""

    def __init__(self, message: str, auth: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.auth = auth


def _download_failed() -> str:
    return worded(
        _("Could not download the tunnel program. Check the internet connection, then press "
          "Retry."),
        _("Could not download the tunnel program. Check the internet connection: Bellhop tries "
          "again by itself. Or download ngrok yourself and give its path in the environment "
          "variable BELLHOP_NGROK_PATH (or \"ngrok_path\" in settings.json)."))


def explain(exc: BaseException, chosen_path: str | None = None) -> TunnelFailed:
    """Plain words for a pyngrok failure (naming commands, not buttons, in a console)."""
    if isinstance(exc, TunnelFailed):
        return exc
    if isinstance(exc, PyngrokNgrokInstallError):
        return TunnelFailed(_download_failed())
    detail = ""
    if isinstance(exc, PyngrokNgrokError):
        detail = str(exc.ngrok_error or "")
    detail = detail or str(exc)
    if any(code in detail for code in SESSION_LIMIT_CODES):
        return TunnelFailed(worded(
            _("ngrok allows only one tunnel program at a time on your plan, and another one is "
              "running with this authtoken (maybe on another computer). Close it, then press "
              "Retry."),
            _("ngrok allows only one tunnel program at a time on your plan, and another one is "
              "running with this authtoken (maybe on another computer). Close it: Bellhop "
              "tries again by itself within a minute.")), auth=True)
    if any(code in detail for code in AUTH_CODES) or "authtoken" in detail.lower():
        return TunnelFailed(worded(
            _("ngrok did not accept the authtoken. Copy it again from {page} and paste it under "
              "Accounts › Tunnel.").format(page=AUTHTOKEN_PAGE),
            _("ngrok did not accept the authtoken. Copy it again from {page}. {how} Bellhop "
              "tries again within a minute (after a restart, when the authtoken is a systemd "
              "credential).").format(page=AUTHTOKEN_PAGE, how=how_to_save(NGROK_SECRET))),
            auth=True)
    log.warning("tunnel failed: %r", exc)
    return TunnelFailed(_("The tunnel could not be opened ({detail}). Bellhop will try again; "
                          "webhooks still work on this computer.").format(
        detail=detail.strip()[:200]))


class NgrokTunnel(Tunnel):
    """A public https address for the receiver through an ngrok agent."""

    kind = "ngrok"

    def __init__(self, ngrok_path: str | None, *, work_dir: Path, chosen_path: bool = False,
                 region: str = "", domain: str = "",
                 token: Callable[[], str | None] | None = None,
                 poll_seconds: float = POLL_SECONDS, auth_backoff: float = AUTH_BACKOFF,
                 download_url: str | None = None) -> None:
        super().__init__()
        self.ngrok_path = ngrok_path
        self.download_url = download_url  # None: where ngrok publishes it for this system
        self.downloads = 0  # finished downloads of the agent (tests check there is one)
        self.chosen_path = chosen_path
        self.work_dir = work_dir
        self.region = region
        self.domain = domain.strip().removeprefix("https://").removeprefix("http://").strip("/")
        self.token = token or (lambda: None)
        self.poll_seconds = poll_seconds
        self.auth_backoff = auth_backoff
        self.attempts = 0  # connect attempts so far (tests check there is no tight loop)
        self.proc: subprocess.Popen[str] | None = None
        self.api_url: str | None = None
        self._config: conf.PyngrokConfig | None = None
        self._tunnel_name: str | None = None
        self._last_url: str | None = None
        self._last_error = ""
        self._port = 0
        self._task: asyncio.Task[None] | None = None
        self._retry = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def agent_pid(self) -> int | None:
        """The process id of the running agent (tests kill it)."""
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None

    async def start(self, port: int) -> None:
        """Start supervising; the first connect happens in the background."""
        self._port = port
        self._loop = asyncio.get_running_loop()
        self._set("connecting")
        self._task = asyncio.get_running_loop().create_task(self._supervise())

    def retry(self) -> None:
        """'Retry': skip the wait before the next attempt."""
        self._retry.set()

    async def wait_settled(self, timeout: float = 20.0) -> str:
        """Wait until the state is "up" or "down"; the state."""
        deadline = time.monotonic() + timeout
        while self.state not in ("up", "down") and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return self.state

    async def stop(self) -> None:
        """Close the tunnel and the agent."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await asyncio.to_thread(self._kill)
        self._set("off")

    # -- the supervisor ---------------------------------------------------------------------

    async def _supervise(self) -> None:
        backoff = FIRST_BACKOFF
        while True:
            self._set("connecting", public_url=None)
            self.attempts += 1
            try:
                url = await asyncio.to_thread(self._connect)
            except Exception as exc:  # every failure becomes plain words and a wait
                failed = explain(exc)
                await asyncio.to_thread(self._kill)
                self._set("down", failed.message)
                await self._wait(self.auth_backoff if failed.auth else backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            changed = self._last_url is not None and url != self._last_url
            self._last_url = url
            self._set("up", public_url=url, url_changed=changed)
            began = time.monotonic()
            reason = await self._watch()
            await asyncio.to_thread(self._kill)
            self._set("down", reason)
            if time.monotonic() - began > STABLE_SECONDS:
                backoff = FIRST_BACKOFF
            await self._wait(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    async def _wait(self, seconds: float) -> None:
        self._retry.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._retry.wait(), seconds)

    async def _watch(self) -> str:
        """Return (with a reason) once the agent or its tunnel is gone."""
        misses = 0
        while True:
            await asyncio.sleep(self.poll_seconds)
            if self.proc is None or self.proc.poll() is not None:
                explained = explain(Exception(self._last_error)) if self._last_error else None
                if explained is not None and explained.auth:
                    return explained.message
                return _("The tunnel program stopped. Bellhop is starting it again.")
            alive = await asyncio.to_thread(self._tunnel_listed)
            misses = 0 if alive else misses + 1
            if misses >= 3:
                return _("The tunnel closed. Bellhop is opening it again.")

    def _tunnel_listed(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.api_url}/api/endpoints", timeout=2) as answer:
                data = json.loads(answer.read())
        except (OSError, ValueError):
            return False
        items = data.get("endpoints") or data.get("tunnels") or []
        return any(item.get("name") == self._tunnel_name for item in items)

    # -- pyngrok, in a thread ---------------------------------------------------------------

    def _on_log(self, entry: Any) -> None:
        if getattr(entry, "lvl", "") in ("ERROR", "CRITICAL") and getattr(entry, "err", None):
            self._last_error = str(entry.err)

    @property
    def downloaded_path(self) -> Path:
        """Where the agent goes when Bellhop downloads it."""
        return self.work_dir / "bin" / agent_name()

    def _agent(self) -> str:
        """The agent to run; downloads it first (with progress) when there is none."""
        if self.ngrok_path:
            if self.chosen_path and not Path(self.ngrok_path).is_file():
                raise TunnelFailed(worded(
                    _("The tunnel program was not found at {path}. Check the program path "
                      "under Accounts › Tunnel."),
                    _("The tunnel program was not found at {path}. Check the path in the "
                      "environment variable BELLHOP_NGROK_PATH or \"ngrok_path\" in "
                      "settings.json.")).format(path=self.ngrok_path))
            return self.ngrok_path
        target = self.downloaded_path
        if target.is_file():
            return str(target)
        self._tell_progress(-1)
        try:
            download_agent(self.download_url or default_url(), target, self._tell_progress)
        except (DownloadFailed, PyngrokNgrokInstallError) as exc:
            log.warning("downloading the ngrok agent failed: %s", exc)
            raise TunnelFailed(_download_failed()) from exc
        self.downloads += 1
        return str(target)

    def _tell_progress(self, percent: int) -> None:
        """Say how far the download is (called in the download's thread)."""
        reason = (_("Downloading the tunnel program ({percent} %)…").format(
            percent=percent)
                  if percent >= 0 else _("Downloading the tunnel program…"))
        if self._loop is not None:
            self._loop.call_soon_threadsafe(
                lambda: self._set("connecting", reason, progress=percent))

    def _connect(self) -> str:
        agent_path = self._agent()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self._last_error = ""
        config = conf.PyngrokConfig(
            ngrok_path=agent_path, config_path=str(self.work_dir / "ngrok.yml"),
            auth_token=self.token() or None, region=self.region or None,
            log_event_callback=self._on_log, startup_timeout=15, request_timeout=4)
        self._config = config
        options: dict[str, Any] = {}
        if self.domain:
            options["url"] = f"https://{self.domain}"
        # 127.0.0.1, not localhost (which may mean ::1, where the receiver does not listen).
        tunnel = ngrok.connect(f"http://127.0.0.1:{self._port}", "http",
                               name=f"bellhop-{self._port}", pyngrok_config=config, **options)
        # Right after connect the agent runs, so this returns it (it never starts one here).
        agent = ngrok.get_ngrok_process(config)
        self.proc = agent.proc
        self.api_url = agent.api_url
        self._tunnel_name = tunnel.name
        if not tunnel.public_url:
            raise TunnelFailed(_("The tunnel opened without a public address."))
        return str(tunnel.public_url)

    def _kill(self) -> None:
        if self._config is not None:
            with contextlib.suppress(Exception):
                ngrok.kill(self._config)
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.kill()
                self.proc.wait(5)
