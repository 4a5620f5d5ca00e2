"""The tunnel providers against the fake ngrok agent, through real sockets; nothing downloads."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import keyring
import pytest
from aiohttp import web
from enginekit import Probe, collect, make_rule, start_app
from keyring.backends import fail
from pyngrok import installer
from pyngrok.exception import PyngrokNgrokError, PyngrokNgrokInstallError

from bellhop.core.events import TunnelChanged
from bellhop.core.headless import headless_wording
from bellhop.core.platform import paths
from bellhop.core.platform.settings import Settings, save_settings
from bellhop.core.services import tunnel_ngrok
from bellhop.core.services.tunnel import NoTunnel, make_tunnel
from bellhop.core.services.tunnel_ngrok import NgrokTunnel, explain
from bellhop.service import Bellhop
from fakes.fake_ngrok import write_agent
from support.ports import free_port

REPO = Path(__file__).parents[3]


@pytest.fixture(autouse=True)
def no_download(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to fetch ngrok from the internet (ours or pyngrok's) fails the test."""
    asked: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        asked.append(args)
        raise AssertionError(f"pyngrok tried to download ngrok: {args} {kwargs}")

    def cdn() -> str:
        asked.append("cdn")
        raise AssertionError("Bellhop asked for ngrok's download address")

    monkeypatch.setattr(installer, "install_ngrok", refuse)
    monkeypatch.setattr("bellhop.core.services.tunnel_ngrok.default_url", cdn)
    yield
    assert not asked, f"a download from the internet was attempted: {asked}"


@pytest.fixture
def agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fake agent, chosen through BELLHOP_NGROK_PATH; its invocations go to agent.log."""
    path = write_agent(tmp_path / "bin")
    monkeypatch.setenv("BELLHOP_NGROK_PATH", str(path))
    monkeypatch.setenv("FAKE_NGROK_LOG", str(tmp_path / "agent.log"))
    for name in ("FAKE_NGROK_FAIL_AUTH", "FAKE_NGROK_DIE_AFTER", "FAKE_NGROK_URL_FILE"):
        monkeypatch.delenv(name, raising=False)
    return path


def agent_log(tmp_path: Path) -> list[dict[str, Any]]:
    log = tmp_path / "agent.log"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def tunnel_events(app: Bellhop) -> list[TunnelChanged]:
    seen: list[TunnelChanged] = []
    app.subscribe(lambda event: seen.append(event) if isinstance(event, TunnelChanged) else None)
    return seen


async def until(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.02)
    return value


async def start_with_tunnel(home: Path, probe: Probe, **settings: Any) -> Bellhop:
    save_settings(paths.settings_file(home), Settings(tunnel="ngrok", **settings))
    app = await start_app(home, [make_rule([{"type": "probe", "text": "{{ body.n }}"}])], probe)
    assert isinstance(app.tunnel, NgrokTunnel)
    await app.tunnel.wait_settled()
    return app


async def test_a_request_to_the_public_url_reaches_the_rule_and_runs_it(
        home: Path, agent: Path, tmp_path: Path, memory_keyring: Any) -> None:
    memory_keyring.set_password("bellhop", "ngrok", "tok_123")
    probe = Probe()
    app = await start_with_tunnel(home, probe, ngrok_region="eu")
    _, finished = collect(app)
    try:
        assert app.tunnel.state == "up", app.tunnel.reason
        base = app.public_base()
        assert base is not None and base != app.receiver.base_url  # type: ignore[union-attr]
        rule = app.list_rules()[0]
        url = app.hook_url(rule)
        assert url == f"{base}/hooks/{rule.token}"
        async with aiohttp.ClientSession() as http, http.post(url, json={"n": 7}) as answer:
            assert answer.status == 202
        await finished(1)
        assert probe.calls[0]["text"] == "7"
        ok, seconds, message = await app.check_public_url(timeout=30)  # a hang guard
        assert ok and f"reach Bellhop ({round(seconds * 1000)} ms there and back)" in message
        # How the agent was started: our config file in the data home, the keychain token.
        argv = agent_log(tmp_path)[0]["argv"]
        assert argv[:4] == ["start", "--none", "--log", "stdout"]
        assert argv[argv.index("--config") + 1] == str(home / "ngrok" / "ngrok.yml")
        assert argv[argv.index("--authtoken") + 1] == "tok_123"
        assert argv[argv.index("--region") + 1] == "eu"
    finally:
        await app.stop()
    assert app.tunnel.state == "off"
    await asyncio.sleep(0.2)
    assert app.tunnel.agent_pid is None  # type: ignore[attr-defined]


async def test_a_killed_agent_is_restarted_and_the_new_url_reported(
        home: Path, agent: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_NGROK_URL_FILE", str(tmp_path / "urls"))
    probe = Probe()
    app = await start_with_tunnel(home, probe)
    events = tunnel_events(app)
    _, finished = collect(app)
    try:
        tunnel = app.tunnel
        assert isinstance(tunnel, NgrokTunnel) and tunnel.state == "up"
        first_url, pid = tunnel.public_url, tunnel.agent_pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        # Generous waits guard against a hang only; how fast it comes back is
        # bench/bench_tunnel.py's figure.
        await until(lambda: any(e.state == "down" for e in events), 30, "down")
        up = await until(lambda: [e for e in events if e.state == "up"], 30, "up again")
        states = [e.state for e in events]
        assert states.index("down") < states.index("up")  # gone first, then back
        assert up[0].url_changed is True and up[0].public_url != first_url
        assert tunnel.agent_pid not in (None, pid)
        assert "stopped" in next(e for e in events if e.state == "down").reason
        rule = app.list_rules()[0]
        assert app.hook_url(rule).startswith(up[0].public_url)
        async with aiohttp.ClientSession() as http, \
                http.post(app.hook_url(rule), json={"n": 1}) as answer:
            assert answer.status == 202
        await finished(1)
    finally:
        await app.stop()


async def test_a_refused_token_is_explained_and_not_retried_at_once(
        home: Path, agent: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_NGROK_FAIL_AUTH", "1")
    probe = Probe()
    app = await start_with_tunnel(home, probe)
    _, finished = collect(app)
    try:
        tunnel = app.tunnel
        assert tunnel.state == "down"
        assert "did not accept the authtoken" in tunnel.reason
        assert "https://dashboard.ngrok.com/get-started/your-authtoken" in tunnel.reason
        await asyncio.sleep(2.0)
        assert tunnel.attempts == 1  # type: ignore[attr-defined]
        assert len([e for e in agent_log(tmp_path) if "argv" in e]) == 1
        # The engine keeps serving locally.
        assert app.public_base() is None
        url = app.hook_url(app.list_rules()[0])
        assert url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http, http.post(url, json={"n": 2}) as answer:
            assert answer.status == 202
        await finished(1)
        ok, _, message = await app.check_public_url()
        assert not ok and "not open" in message
    finally:
        await app.stop()


async def test_retry_after_a_fixed_token_connects(
        tmp_path: Path, agent: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_NGROK_FAIL_AUTH", "108")
    tunnel = make_tunnel("ngrok", tmp_path)
    assert isinstance(tunnel, NgrokTunnel)
    try:
        await tunnel.start(9)  # nothing needs to answer upstream
        assert await tunnel.wait_settled() == "down"
        assert "only one tunnel program" in tunnel.reason
        monkeypatch.setenv("FAKE_NGROK_FAIL_AUTH", "0")
        tunnel.retry()
        await until(lambda: tunnel.state == "up", 5, "up after Retry")
        assert tunnel.attempts == 2
    finally:
        await tunnel.stop()


async def test_a_missing_configured_path_never_downloads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BELLHOP_NGROK_PATH", str(tmp_path / "nowhere" / "ngrok"))
    tunnel = make_tunnel("ngrok", tmp_path)
    try:
        await tunnel.start(9)
        assert await tunnel.wait_settled() == "down"  # (the autouse spy fails on a download)
        assert "not found" in tunnel.reason and "nowhere" in tunnel.reason
    finally:
        await tunnel.stop()


def agent_archive(tmp_path: Path, padding: int = 0) -> bytes:
    """A .tgz like ngrok's: the (fake) agent, and `padding` bytes of something else."""
    agent = write_agent(tmp_path / "to-pack")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(agent, arcname="ngrok")
        if padding:
            extra = tarfile.TarInfo("README.txt")
            extra.size = padding
            archive.addfile(extra, io.BytesIO(random.Random(5).randbytes(padding)))
    return buffer.getvalue()


@contextlib.asynccontextmanager
async def file_server(body: bytes) -> AsyncIterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 that hands out `body`; yields its URL and the paths asked."""
    asked: list[str] = []

    async def hand_out(request: web.Request) -> web.Response:
        asked.append(request.path)
        return web.Response(body=body, content_type="application/gzip")

    server = web.Application()
    server.router.add_get("/{name}", hand_out)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/ngrok-v3-stable-linux-amd64.tgz", asked
    finally:
        await runner.cleanup()


def fresh_agent_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BELLHOP_NGROK_PATH", raising=False)
    monkeypatch.setenv("FAKE_NGROK_LOG", str(tmp_path / "agent.log"))
    for name in ("FAKE_NGROK_FAIL_AUTH", "FAKE_NGROK_DIE_AFTER", "FAKE_NGROK_URL_FILE"):
        monkeypatch.delenv(name, raising=False)


async def test_the_first_start_downloads_the_agent_with_progress_then_never_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_agent_env(monkeypatch, tmp_path)
    archive = agent_archive(tmp_path, padding=2_000_000)
    async with file_server(archive) as (url, asked):
        tunnel = NgrokTunnel(None, work_dir=tmp_path / "ngrok", download_url=url)
        seen: list[TunnelChanged] = []
        tunnel.subscribe(seen.append)
        try:
            await tunnel.start(9)
            assert await tunnel.wait_settled() == "up", tunnel.reason
        finally:
            await tunnel.stop()
        assert asked == ["/ngrok-v3-stable-linux-amd64.tgz"] and tunnel.downloads == 1
        assert tunnel.downloaded_path == tmp_path / "ngrok" / "bin" / "ngrok"
        assert os.access(tunnel.downloaded_path, os.X_OK)
        progress = [data.progress for data in seen if data.progress is not None]
        assert progress[0] == -1 and progress[-1] == 100  # "downloading…", then 100 %
        percents = progress[1:]
        assert len(percents) > 5 and percents == sorted(percents)  # it moved, and forwards
        assert all(data.state == "connecting" and "Downloading the tunnel program" in
                   data.reason for data in seen if data.progress is not None)
        assert seen[-2].state == "up" and seen[-2].progress is None
        assert not list((tmp_path / "ngrok" / "bin").glob(".download-*"))  # nothing left over

        again = NgrokTunnel(None, work_dir=tmp_path / "ngrok", download_url=url)
        try:
            await again.start(9)
            assert await again.wait_settled() == "up", again.reason
        finally:
            await again.stop()
        assert again.downloads == 0 and len(asked) == 1


async def test_offline_download_failure_says_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_agent_env(monkeypatch, tmp_path)
    url = f"http://127.0.0.1:{free_port()}/ngrok-v3-stable-linux-amd64.tgz"
    tunnel = NgrokTunnel(None, work_dir=tmp_path / "ngrok", download_url=url)
    try:
        await tunnel.start(9)
        assert await tunnel.wait_settled() == "down"
        assert tunnel.reason == ("Could not download the tunnel program. Check the internet "
                                 "connection, then press Retry.")
        assert tunnel.progress is None
        assert not (tmp_path / "ngrok" / "bin" / "ngrok").exists()
    finally:
        await tunnel.stop()


async def test_a_damaged_download_leaves_nothing_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_agent_env(monkeypatch, tmp_path)
    async with file_server(b"<html>captive portal login</html>") as (url, asked):
        tunnel = NgrokTunnel(None, work_dir=tmp_path / "ngrok", download_url=url)
        try:
            await tunnel.start(9)
            assert await tunnel.wait_settled() == "down"
            assert tunnel.reason.startswith("Could not download the tunnel program.")
        finally:
            await tunnel.stop()
    assert asked
    assert list((tmp_path / "ngrok" / "bin").iterdir()) == []


async def test_the_downloaded_agent_is_the_one_from_the_data_home_by_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BELLHOP_NGROK_PATH", raising=False)
    monkeypatch.setattr("bellhop.core.services.tunnel.bundled_ngrok", lambda: None)
    tunnel = make_tunnel("ngrok", tmp_path / "home")
    assert isinstance(tunnel, NgrokTunnel) and tunnel.ngrok_path is None
    assert tunnel.downloaded_path == tmp_path / "home" / "ngrok" / "bin" / "ngrok"


async def test_a_static_domain_is_asked_for(
        home: Path, agent: Path, tmp_path: Path) -> None:
    app = await start_with_tunnel(home, Probe(), ngrok_domain="https://my-shop.ngrok-free.app/")
    try:
        assert app.tunnel.state == "up"
        created = next(e for e in agent_log(tmp_path) if "tunnel" in e)
        assert created["definition"]["url"] == "https://my-shop.ngrok-free.app"
        assert created["definition"]["upstream"]["url"] == \
            f"http://127.0.0.1:{app.receiver.port}"  # type: ignore[union-attr]
    finally:
        await app.stop()


def test_auth_errors_in_plain_words() -> None:
    for code in ("ERR_NGROK_105", "ERR_NGROK_107", "ERR_NGROK_4018"):
        failed = explain(PyngrokNgrokError("start failed", [], f"failed: {code}"))
        assert failed.auth and "Accounts › Tunnel" in failed.message
    limit = explain(PyngrokNgrokError("x", [], "ERR_NGROK_108 limited to 1 session"))
    assert limit.auth and "only one" in limit.message
    other = explain(PyngrokNgrokError("x", [], "dial tcp: no route"))
    assert not other.auth and "no route" in other.message


async def test_no_tunnel_is_local_only(home: Path) -> None:
    app = await start_app(home, [make_rule([{"type": "probe"}])], Probe())
    try:
        assert isinstance(app.tunnel, NoTunnel) and app.tunnel.state == "off"
        assert app.public_base() is None
        assert app.hook_url(app.list_rules()[0]).startswith("http://127.0.0.1:")
    finally:
        await app.stop()


def test_tunnel_none_never_imports_pyngrok(tmp_path: Path) -> None:
    """Nor the other large packages only some rules need (idle memory: ≤ 60 MB)."""
    code = (
        "import asyncio, sys\n"
        "from bellhop.service import Bellhop\n"
        "async def main():\n"
        "    app = Bellhop()\n"
        "    await app.start('127.0.0.1', 0, tunnel='none')\n"
        "    assert app.tunnel.state == 'off'\n"
        "    await app.stop()\n"
        "asyncio.run(main())\n"
        "heavy = ('pyngrok', 'cryptography', 'apprise', 'google.auth', 'openpyxl')\n"
        "loaded = sorted({m for m in sys.modules if m.startswith(heavy)})\n"
        "assert not loaded, f'loaded at start although no rule needs them: {loaded}'\n"
        "print('ok')\n")
    home = tmp_path / "h"
    home.mkdir()
    env = dict(os.environ, BELLHOP_HOME=str(home), PYTHONPATH=str(REPO / "desktop"),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


async def test_an_agent_that_keeps_dying_is_restarted_with_growing_waits(
        tmp_path: Path, agent: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each death is followed by a wait twice the last one, then a new start.

    The waits are the ones the supervisor asks for, in order, not measured: the third is
    held until the end, so what happened up to it is fixed. An agent up for STABLE_SECONDS
    starts the waits over; that is made long here so a slow machine cannot reach it.
    """
    monkeypatch.setenv("FAKE_NGROK_DIE_AFTER", "0.3")
    monkeypatch.setattr(tunnel_ngrok, "STABLE_SECONDS", 3600.0)
    tunnel = make_tunnel("ngrok", tmp_path)
    assert isinstance(tunnel, NgrokTunnel)
    seen: list[str | float] = []
    tunnel.subscribe(lambda event: seen.append(event.state))
    waited = tunnel._wait
    held = asyncio.Event()

    async def wait(seconds: float) -> None:
        seen.append(seconds)
        if len([s for s in seen if isinstance(s, float)]) == 3:
            await held.wait()  # the third wait lasts until the test is done
        await waited(seconds)

    monkeypatch.setattr(tunnel, "_wait", wait)
    try:
        await tunnel.start(9)
        await until(lambda: len([s for s in seen if isinstance(s, float)]) == 3, 60,
                    "three restarts")
        story = [s for s in seen if s in ("up", "down") or isinstance(s, float)]
        first = tunnel_ngrok.FIRST_BACKOFF
        assert story == ["up", "down", first, "up", "down", 2 * first, "up", "down",
                         4 * first], seen
        assert tunnel.attempts == 3
    finally:
        await tunnel.stop()
    assert tunnel.state == "off"


def test_in_a_console_the_tunnel_names_commands_not_buttons(memory_keyring: Any) -> None:
    refused = PyngrokNgrokError("start failed", [], "failed: ERR_NGROK_4018")
    limited = PyngrokNgrokError("x", [], "ERR_NGROK_108 limited to 1 session")
    with headless_wording():
        auth = explain(refused).message
        limit = explain(limited).message
        download = explain(PyngrokNgrokInstallError("offline")).message
        keyring.set_keyring(fail.Keyring())
        auth_on_a_server = explain(refused).message
    for message in (auth, limit, download, auth_on_a_server):
        assert "press" not in message and "Accounts ›" not in message, message
    assert "Save it with: bellhop secret set ngrok" in auth
    assert "LoadCredential=ngrok:" in auth_on_a_server and "/ngrok" in auth_on_a_server
    assert "tries again by itself" in limit
    assert "BELLHOP_NGROK_PATH" in download
    # The window keeps its buttons.
    assert "Accounts › Tunnel" in explain(refused).message
    assert explain(limited).message.endswith("Close it, then press Retry.")


async def test_in_a_console_a_missing_agent_path_names_the_setting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BELLHOP_NGROK_PATH", str(tmp_path / "nowhere" / "ngrok"))
    tunnel = make_tunnel("ngrok", tmp_path)
    with headless_wording():
        try:
            await tunnel.start(9)
            assert await tunnel.wait_settled() == "down"
            reason = tunnel.reason
        finally:
            await tunnel.stop()
    assert reason == (f"The tunnel program was not found at {tmp_path}/nowhere/ngrok. "
                             "Check the path in the environment variable BELLHOP_NGROK_PATH or "
                             "\"ngrok_path\" in settings.json.")
