"""A server as a child process, for tests and benchmarks: `bellhop serve` or any other.

It listens on 127.0.0.1; its standard output and error go to files that can be read while
it runs; it is ready when GET /healthz answers; it stops with a signal and its exit code is
checked; whatever is left at the end is killed.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TypeVar

HOST = "127.0.0.1"
T = TypeVar("T")


class ServerFailed(AssertionError):
    """A server exited early, never became ready, or did not stop cleanly."""


def serve_argv(port: int, *extra: str, command: Sequence[str] | None = None,
               tunnel: str = "none") -> list[str]:
    """`bellhop serve` on 127.0.0.1:port, no tunnel unless asked; `command` is how bellhop
    is run (default: `python -m bellhop` with this interpreter)."""
    bellhop = list(command) if command is not None else [sys.executable, "-m", "bellhop"]
    return [*bellhop, "serve", "--host", HOST, "--port", str(port), "--tunnel", tunnel, *extra]


def status_of(port: int, path: str, timeout: float = 1.0) -> int | None:
    """GET `path` on 127.0.0.1:port; the status, or None when nothing answered."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def wait_until(check: Callable[[], T], timeout: float, what: str,
               interval: float = 0.05) -> T:
    """Poll `check` until it returns something truthy; ServerFailed naming `what` after
    `timeout` seconds (a guard against hanging, not a measure)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise ServerFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def vm_rss_kib(pid: int) -> int:
    """VmRSS of one process in KiB from /proc (0 when it is gone or there is no /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class ServerProcess:
    """One server process on 127.0.0.1:`port`, its output in files.

    `errors` None: standard error goes to the `output` file too. `own_group`: the server
    gets its own process group, and stop and kill signal all of it (its children too).
    """

    def __init__(self, argv: list[str], port: int, output: Path, errors: Path | None = None,
                 *, env: dict[str, str] | None = None, cwd: Path | None = None,
                 own_group: bool = False, label: str = "bellhop serve") -> None:
        """Prepare (not start) the process."""
        self.argv = argv
        self.port = port
        self.output_path = output
        self.errors_path = errors
        self.env = env
        self.cwd = cwd
        self.own_group = own_group
        self.label = label
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0  # time.perf_counter() at spawn
        self._files: list[IO[bytes]] = []

    @property
    def url_base(self) -> str:
        """http://127.0.0.1:PORT."""
        return f"http://{HOST}:{self.port}"

    def url(self, token: str) -> str:
        """The local webhook address of a token."""
        return f"{self.url_base}/hooks/{token}"

    def start(self) -> ServerProcess:
        """Spawn the process; its output goes to the files from now on."""
        self.output_path.parent.mkdir(parents=True, exist_ok=True)
        out = open(self.output_path, "wb")  # noqa: SIM115 - closed by close()
        self._files = [out]
        err: IO[bytes] | int = subprocess.STDOUT
        if self.errors_path is not None:
            err = open(self.errors_path, "wb")  # noqa: SIM115 - closed by close()
            self._files.append(err)
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env,
                                     stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                     start_new_session=self.own_group)
        return self

    def _running(self) -> subprocess.Popen[bytes]:
        assert self.proc is not None, "start() first"
        return self.proc

    def stdout(self) -> str:
        """Everything the process printed to standard output so far."""
        return self.output_path.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        """Everything the process printed to standard error so far."""
        return (self.errors_path or self.output_path).read_text(encoding="utf-8",
                                                                errors="replace")

    def tail(self, lines: int = 15) -> str:
        """The last lines the process printed (both streams), indented."""
        try:
            text = self.stdout() + (self.stderr() if self.errors_path else "")
        except OSError:
            return "(no output)"
        return "\n".join("    " + line for line in text.splitlines()[-lines:])

    def healthy(self, need_200: bool = True) -> bool:
        """True when /healthz answers (200, unless `need_200` is false)."""
        status = status_of(self.port, "/healthz")
        return status is not None and (status == 200 or not need_200)

    def wait_healthy(self, timeout: float = 15.0, interval: float = 0.05,
                     need_200: bool = True) -> float:
        """Poll /healthz until it answers; the seconds from spawn. ServerFailed, with what
        the process printed, when it exits first or `timeout` passes (a hang guard)."""
        proc = self._running()
        deadline = self.started_at + timeout
        while not self.healthy(need_200):
            if proc.poll() is not None:
                raise ServerFailed(f"{self.label} exited with {proc.returncode} before it was "
                                   f"ready:\n{self.tail()}")
            if time.perf_counter() > deadline:
                raise ServerFailed(f"{self.label} not ready after {timeout:.0f} s:\n"
                                   + self.tail())
            time.sleep(interval)
        return time.perf_counter() - self.started_at

    def wait_stdout(self, text: str, timeout: float = 15.0) -> str:
        """Wait until standard output contains `text`; the output."""
        try:
            return wait_until(lambda: text in (out := self.stdout()) and out, timeout,
                              f"{text!r} on {self.label}'s output")
        except ServerFailed as failed:
            raise ServerFailed(f"{failed}; it printed:\n{self.tail(30)}") from None

    def _signal(self, sig: signal.Signals) -> None:
        proc = self._running()
        with contextlib.suppress(ProcessLookupError):
            if self.own_group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)

    def end(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Send `sig`; the exit code, or None when it had not exited after `timeout` s
        (it is killed then)."""
        proc = self._running()
        if proc.poll() is None:
            self._signal(sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        self.close()
        return proc.returncode

    def stop(self, timeout: float = 10.0, sig: signal.Signals = signal.SIGTERM) -> float:
        """Send `sig` (SIGTERM) and require exit code 0 within `timeout` s (a hang guard;
        killed if not); the seconds it took."""
        began = time.monotonic()
        code = self.end(sig, timeout)
        took = time.monotonic() - began
        if code is None:
            raise ServerFailed(f"{self.label} did not stop within {timeout:.0f} s (killed)")
        if code != 0:
            raise ServerFailed(f"{self.label} exited with {code}:\n{self.stderr()}")
        return took

    def kill(self) -> None:
        """SIGKILL (no clean-up at all) and reap the process."""
        proc = self._running()
        if proc.poll() is None:
            self._signal(signal.SIGKILL)
        proc.wait(10)
        self.close()

    def close(self) -> None:
        """Close the output files."""
        for handle in self._files:
            handle.close()
        self._files.clear()

    def rss_kib(self) -> int:
        """The process's VmRSS in KiB (0 where that cannot be read)."""
        return vm_rss_kib(self._running().pid)
