#!/usr/bin/env python3
"""A fake ngrok agent: just enough of ngrok 3 for pyngrok, with no internet.

`start --none --log stdout [--config P] [--authtoken T] [--region R]` starts the
local API on 127.0.0.1:<free port> first, then prints the logfmt lines pyngrok
waits for. The API serves GET/POST /api/tunnels (v2) and /api/endpoints (v3),
GET/DELETE of one tunnel. Each tunnel gets a "public" http://127.0.0.1:<port>
relay that forwards every request (method, path, query, headers, body) to the
tunnel's upstream and returns its answer. Standard library only.

Switches (environment, read at start):
  FAKE_NGROK_FAIL_AUTH=1|108   print an auth error (ERR_NGROK_105, or 108) and exit 1
  FAKE_NGROK_DIE_AFTER=S       exit abruptly after S seconds
  FAKE_NGROK_URL_FILE=P        ports handed out so far: every start gets a new public URL
  FAKE_NGROK_LOG=P             append each invocation (argv, and each tunnel created) as JSON

`write_agent(folder)` writes an executable `ngrok` wrapper running this file with
the current interpreter, for pyngrok's `ngrok_path` or BELLHOP_NGROK_PATH.
"""

from __future__ import annotations

import http.client
import json
import os
import stat
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

VERSION = "3.19.0"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
              "trailer", "upgrade", "host", "content-length"}
AUTH_ERRORS = {
    "1": "authentication failed: The authtoken you specified does not look like a proper "
         "ngrok tunnel authtoken. ERR_NGROK_105",
    "108": "authentication failed: Your account is limited to 1 simultaneous ngrok agent "
           "sessions. ERR_NGROK_108",
}


def write_agent(folder: Path, python: str | None = None) -> Path:
    """An executable `ngrok` in `folder` that runs this fake with `python` (default: ours)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("ngrok.cmd" if os.name == "nt" else "ngrok")
    path.write_text(f"#!{python or sys.executable}\n"
                    f"import runpy, sys\n"
                    f"sys.argv[0] = {str(Path(__file__).resolve())!r}\n"
                    f"runpy.run_path(sys.argv[0], run_name='__main__')\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _log(entry: dict[str, Any]) -> None:
    target = os.environ.get("FAKE_NGROK_LOG")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def _say(lvl: str, msg: str, **fields: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    extra = "".join(f" {k}={json.dumps(v) if ' ' in v else v}" for k, v in fields.items())
    sys.stdout.write(f't={stamp} lvl={lvl} msg="{msg}"{extra}\n')
    sys.stdout.flush()


def _relay_port() -> tuple[ThreadingHTTPServer, int]:
    """Bind a relay on a port this fake never handed out before (with FAKE_NGROK_URL_FILE)."""
    url_file = os.environ.get("FAKE_NGROK_URL_FILE")
    used: set[int] = set()
    if url_file and os.path.exists(url_file):
        used = {int(x) for x in Path(url_file).read_text().split() if x.strip()}
    for _ in range(50):
        server = ThreadingHTTPServer(("127.0.0.1", 0), RelayHandler)
        port = int(server.server_address[1])
        if port not in used:
            break
        server.server_close()
    if url_file:
        with open(url_file, "a", encoding="utf-8") as handle:
            handle.write(f"{port}\n")
    return server, port


class Tunnel:
    """One tunnel: its definition, its public relay and where it forwards to."""

    def __init__(self, definition: dict[str, Any], version: str) -> None:
        self.name = str(definition.get("name") or f"tunnel-{time.monotonic_ns()}")
        self.version = version
        if version == "3":
            upstream = str((definition.get("upstream") or {}).get("url", "80"))
        else:
            upstream = str(definition.get("addr", "80"))
        if "://" not in upstream:
            upstream = f"http://localhost:{upstream}" if upstream.isdigit() else f"http://{upstream}"
        self.upstream = upstream
        self.requested_url = definition.get("url") or definition.get("domain")
        self.server, port = _relay_port()
        self.server.upstream = urlsplit(upstream)  # type: ignore[attr-defined]
        self.public_url = f"http://127.0.0.1:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        _log({"tunnel": self.name, "version": version, "definition": definition,
              "public_url": self.public_url})

    def as_json(self) -> dict[str, Any]:
        segment = "endpoints" if self.version == "3" else "tunnels"
        data: dict[str, Any] = {"name": self.name, "uri": f"/api/{segment}/{self.name}",
                                "public_url": self.public_url, "proto": "http"}
        if self.version == "3":
            data.update(id=f"ep_{self.name}", url=self.public_url,
                        upstream={"url": self.upstream, "protocol": "http1"})
        else:
            data["config"] = {"addr": self.upstream, "inspect": True}
        return data

    def close(self) -> None:
        threading.Thread(target=self.server.shutdown, daemon=True).start()


TUNNELS: dict[str, Tunnel] = {}
LOCK = threading.Lock()


class ApiHandler(BaseHTTPRequestHandler):
    """The agent's local API."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet: stdout belongs to the log lines
        pass

    def _answer(self, status: int, data: Any = None) -> None:
        body = b"" if data is None else json.dumps(data).encode()
        self.send_response(status)
        if data is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> tuple[str, str | None] | None:
        parts = urlsplit(self.path).path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "api" and parts[1] in ("tunnels", "endpoints"):
            return ("3" if parts[1] == "endpoints" else "2"), (parts[2] if len(parts) > 2 else None)
        return None

    def do_GET(self) -> None:
        route = self._route()
        if route is None:
            return self._answer(404, {"msg": "not found"})
        version, name = route
        with LOCK:
            if name is None:
                items = [t.as_json() for t in TUNNELS.values()]
                key = "endpoints" if version == "3" else "tunnels"
                return self._answer(200, {key: items, "uri": self.path})
            tunnel = TUNNELS.get(name)
        if tunnel is None:
            return self._answer(404, {"msg": "tunnel not found"})
        return self._answer(200, tunnel.as_json())

    def do_POST(self) -> None:
        route = self._route()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        if route is None or route[1] is not None:
            return self._answer(404, {"msg": "not found"})
        try:
            definition = json.loads(raw)
        except ValueError:
            return self._answer(400, {"msg": "invalid json"})
        tunnel = Tunnel(definition, route[0])
        with LOCK:
            TUNNELS[tunnel.name] = tunnel
        return self._answer(201, tunnel.as_json())

    def do_DELETE(self) -> None:
        route = self._route()
        if route is None or route[1] is None:
            return self._answer(404, {"msg": "not found"})
        with LOCK:
            tunnel = TUNNELS.pop(route[1], None)
        if tunnel is None:
            return self._answer(404, {"msg": "tunnel not found"})
        tunnel.close()
        return self._answer(204)


class RelayHandler(BaseHTTPRequestHandler):
    """The 'public' side: every request goes to the upstream as it came."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall

    def log_message(self, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _relay(self) -> None:
        upstream = self.server.upstream  # type: ignore[attr-defined]
        body = self._body()
        host = upstream.hostname or "127.0.0.1"
        if host == "localhost":
            host = "127.0.0.1"  # the receiver listens on IPv4
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Host"] = self.headers.get("Host", "")
        headers["X-Forwarded-For"] = self.client_address[0]
        headers["X-Forwarded-Proto"] = "https"
        conn = http.client.HTTPConnection(host, upstream.port or 80, timeout=60)
        try:
            conn.request(self.command, self.path, body=body if body or self.command in (
                "POST", "PUT", "PATCH") else None, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            status, reason, answer_headers = answer.status, answer.reason, answer.getheaders()
        except OSError:
            data = b"ERR_NGROK_8012: the upstream did not answer"
            status, reason, answer_headers = 502, "Bad Gateway", [("Content-Type", "text/plain")]
        finally:
            conn.close()
        self.send_response(status, reason)
        for key, value in answer_headers:
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _relay


def _option(argv: list[str], name: str) -> str | None:
    if name in argv and argv.index(name) + 1 < len(argv):
        return argv[argv.index(name) + 1]
    return None


def main(argv: list[str]) -> int:
    """Behave like `ngrok` for the commands pyngrok uses."""
    _log({"argv": argv, "pid": os.getpid()})
    if argv[:1] in (["--version"], ["version"]):
        print(f"ngrok version {VERSION}")
        return 0
    if argv[:2] == ["config", "add-authtoken"]:
        print("Authtoken saved to configuration file")
        return 0
    if argv[:1] != ["start"]:
        print(f"fake ngrok: unsupported command {argv}", file=sys.stderr)
        return 2
    fail = os.environ.get("FAKE_NGROK_FAIL_AUTH")
    if fail and fail != "0":
        _say("eror", "failed to auth", obj="tunnels.session",
             err=AUTH_ERRORS.get(fail, AUTH_ERRORS["1"]))
        return 1
    die_after = os.environ.get("FAKE_NGROK_DIE_AFTER")
    if die_after:
        timer = threading.Timer(float(die_after), lambda: os._exit(1))
        timer.daemon = True
        timer.start()
    api = ThreadingHTTPServer(("127.0.0.1", 0), ApiHandler)  # listening before the lines
    threading.Thread(target=api.serve_forever, daemon=True).start()
    port = api.server_address[1]
    _say("info", "no configuration paths supplied" if not _option(argv, "--config")
         else "open config file", path=_option(argv, "--config") or "")
    _say("info", "starting web service", obj="web", addr=f"127.0.0.1:{port}", allow_hosts="[]")
    _say("info", "tunnel session started", obj="tunnels.session")
    _say("info", "client session established", obj="csess", id="fake")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

