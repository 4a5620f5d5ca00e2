"""The public address of the receiver: a `Tunnel` with a state the window and the CLI show.

Two providers: `NoTunnel` (local only: hook URLs are http://127.0.0.1:<port>) and
`NgrokTunnel` (core/tunnel_ngrok.py, through pyngrok, imported only when chosen so
`--tunnel none` never loads pyngrok).

States: "off" (no tunnel), "connecting", "up" (public_url set), "down" (reason says
why in plain words, and what to do). Every change is told to listeners as a
`TunnelChanged` (core/events.py); its `progress` is the percentage of the agent's
first download while it runs (-1 while its size is unknown), otherwise None.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import aiohttp

from bellhop.core.events import TunnelChanged
from bellhop.core.i18n import _

log = logging.getLogger("bellhop.tunnel")

TunnelState = Literal["off", "connecting", "up", "down"]
TunnelListener = Callable[[TunnelChanged], None]
NGROK_SECRET = "ngrok"  # keychain name of the ngrok authtoken
AUTHTOKEN_PAGE = "https://dashboard.ngrok.com/get-started/your-authtoken"


class Tunnel:
    """What every provider offers: start, stop, a public URL, a state and its listeners."""

    kind = "none"

    def __init__(self) -> None:
        self.state: TunnelState = "off"
        self.public_url: str | None = None
        self.reason = ""
        self.progress: int | None = None
        self._listeners: list[TunnelListener] = []

    def subscribe(self, listener: TunnelListener) -> Callable[[], None]:
        """Call `listener(TunnelChanged)` on each state change; returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def snapshot(self) -> TunnelChanged:
        """The state now, as the event that told it (url_changed False)."""
        return TunnelChanged(state=self.state, public_url=self.public_url, reason=self.reason,
                             progress=self.progress)

    def _set(self, state: TunnelState, reason: str = "", public_url: str | None = None,
             url_changed: bool = False, progress: int | None = None) -> None:
        now = (state, reason, public_url, progress)
        if now == (self.state, self.reason, self.public_url, self.progress):
            return
        self.state, self.reason, self.public_url, self.progress = now
        if progress is None:
            log.info("tunnel %s %s %s", state, public_url or "", reason)
        event = TunnelChanged(state=state, public_url=public_url, reason=reason,
                              url_changed=url_changed, progress=progress)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("tunnel listener failed")

    async def start(self, port: int) -> None:
        """Begin making `port` on 127.0.0.1 reachable; returns without waiting for "up"."""
        raise NotImplementedError

    async def stop(self) -> None:
        """Close the tunnel and stop the agent; state "off"."""
        raise NotImplementedError


class NoTunnel(Tunnel):
    """Local only: nothing outside this computer can reach the hooks."""

    async def start(self, port: int) -> None:
        """Nothing to start."""
        self._set("off")

    async def stop(self) -> None:
        """Nothing to stop."""
        self._set("off")


def bundled_ngrok() -> Path | None:
    """The ngrok binary an installer shipped next to the app, if there is one."""
    name = "ngrok.exe" if os.name == "nt" else "ngrok"
    roots = []
    if getattr(sys, "_MEIPASS", None):
        roots.append(Path(sys._MEIPASS))
    roots.append(Path(__file__).resolve().parents[3] / "resources")
    for root in roots:
        for candidate in (root / "ngrok" / name, root / name):
            if candidate.is_file():
                return candidate
    return None


def ngrok_path(setting: str = "") -> tuple[str | None, bool]:
    """Which agent binary to run: (path or None for pyngrok's download, chosen by the user?).

    Settings `ngrok_path`, then BELLHOP_NGROK_PATH, then a bundled binary.
    """
    chosen = setting or os.environ.get("BELLHOP_NGROK_PATH", "")
    if chosen:
        return str(Path(chosen).expanduser()), True
    bundled = bundled_ngrok()
    return (str(bundled), False) if bundled else (None, False)


def make_tunnel(kind: str, home: Path, *, path_setting: str = "", region: str = "",
                domain: str = "", token: Callable[[], str | None] | None = None) -> Tunnel:
    """The provider for `kind` ("none" or "ngrok")."""
    if kind == "ngrok":
        from bellhop.core.services.tunnel_ngrok import NgrokTunnel

        path, chosen = ngrok_path(path_setting)
        return NgrokTunnel(path, work_dir=home / "ngrok", chosen_path=chosen, region=region,
                           domain=domain, token=token)
    return NoTunnel()


async def check_from_outside(base: str | None, timeout: float = 5.0) -> tuple[bool, float, str]:
    """GET <base>/healthz, as a service on the internet would; (ok, seconds, plain message)."""
    if base is None:
        return False, 0.0, _("There is no public address yet: the tunnel is not open.")
    began = time.monotonic()
    try:
        limit = aiohttp.ClientTimeout(total=timeout)
        async with aiohttp.ClientSession(timeout=limit) as http, \
                http.get(f"{base}/healthz") as answer:
            await answer.read()
            status = answer.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        took = time.monotonic() - began
        log.info("check of %s failed: %r", base, exc)
        return False, took, _("The outside could not reach Bellhop at {base}. Wait a "
                              "moment and check again.").format(
            base=base)
    took = time.monotonic() - began
    if status != 200:
        return False, took, _("The public address answered with an error ({status}).").format(
            status=status)
    return True, took, _("The outside can reach Bellhop ({ms} ms there and back).").format(
        ms=round(took * 1000))
