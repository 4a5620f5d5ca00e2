"""Server processes for the benchmarks: CPU pinning, spawn, readiness, RSS, stop."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType


class ServerFailed(RuntimeError):
    """A server exited or never became ready."""


def _affinity(pid: int = 0) -> set[int]:
    try:
        return set(os.sched_getaffinity(pid))
    except (AttributeError, OSError):
        return set(range(os.cpu_count() or 1))


# Taken once, at import: the bench later narrows its own affinity to the load generator's
# CPU, and asking then would make every other CPU look unusable (and servers unpinned).
_STARTED_ON = frozenset(_affinity())


def usable_cpus() -> set[int]:
    """The CPUs this process was allowed to run on when it started."""
    return set(_STARTED_ON)


def affinity_of(pid: int) -> set[int] | None:
    """The CPUs a running process may use (None where that cannot be asked)."""
    try:
        return set(os.sched_getaffinity(pid))
    except (AttributeError, OSError):
        return None


def can_pin(cpu: int | None) -> bool:
    """Whether `taskset -c cpu` is available and meaningful here."""
    return cpu is not None and shutil.which("taskset") is not None and cpu in usable_cpus()


def pin_prefix(cpu: int | None) -> list[str]:
    """`taskset -c CPU` as an argv prefix, or nothing when pinning is not possible."""
    return ["taskset", "-c", str(cpu)] if can_pin(cpu) else []


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ppid(pid: int) -> int | None:
    """The parent pid of `pid`, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(pid: int) -> list[int]:
    """All live descendants of `pid` (children, grandchildren, ...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = _ppid(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_rss_kib(pid: int) -> int:
    """VmRSS of one process in KiB (0 when it is gone or has no memory)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(pid: int) -> tuple[int, int]:
    """Summed VmRSS in KiB of `pid` and its descendants, and how many descendants."""
    kids = descendants(pid)
    return vm_rss_kib(pid) + sum(vm_rss_kib(kid) for kid in kids), len(kids)


def probe(port: int, path: str, timeout: float = 1.0) -> int | None:
    """GET `path` on 127.0.0.1:port; the status, or None when nothing answered."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def post_once(port: int, path: str, body: bytes, timeout: float = 10.0) -> tuple[int, bytes]:
    """POST a JSON `body` to `path` on 127.0.0.1:port; the status and the answer's body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise ServerFailed(f"POST {path} failed: {exc}") from exc
    finally:
        conn.close()


@dataclass
class ServerSpec:
    """How to start one kind of server and how to tell it is ready."""

    label: str
    argv: Callable[[int], list[str]]
    need_200: bool
    make_home: Callable[[Path], Path] | None = None
    extra_env: dict[str, str] = field(default_factory=dict)


class Server:
    """One running server process, pinned to a CPU, logging into a work directory."""

    def __init__(self, spec: ServerSpec, workdir: Path, cpu: int | None, cwd: Path) -> None:
        """Prepare (not start) a server of `spec` with its own port and files in `workdir`."""
        self.spec = spec
        self.workdir = workdir
        self.cpu = cpu
        self.cwd = cwd
        self.port = free_port()
        self.log_path = workdir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.clean_stop: bool | None = None

    @property
    def url_base(self) -> str:
        """http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Spawn the process (the clock for start time starts here)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PYTHONUNBUFFERED="1", **self.spec.extra_env)
        if self.spec.make_home is not None:
            env["BELLHOP_HOME"] = str(self.spec.make_home(self.workdir / "home"))
        argv = [*pin_prefix(self.cpu), *self.spec.argv(self.port)]
        with self.log_path.open("wb") as log:
            self.started_at = time.perf_counter()
            self.proc = subprocess.Popen(
                argv,
                cwd=self.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 30.0, interval: float = 0.005) -> float:
        """Poll GET /healthz every `interval` s; seconds from spawn to the first good answer."""
        assert self.proc is not None, "start() first"
        deadline = self.started_at + timeout
        while True:
            status = probe(self.port, "/healthz")
            now = time.perf_counter()
            if status is not None and (status == 200 or not self.spec.need_200):
                return now - self.started_at
            if self.proc.poll() is not None:
                raise ServerFailed(
                    f"{self.spec.label} exited with code {self.proc.returncode}:\n"
                    + self.log_tail()
                )
            if now > deadline:
                got = "no answer" if status is None else f"status {status}"
                raise ServerFailed(
                    f"{self.spec.label} not ready after {timeout:.0f} s ({got}):\n"
                    + self.log_tail()
                )
            time.sleep(interval)

    def rss_kib(self) -> tuple[int, int]:
        """VmRSS in KiB of the server and its children, and how many children."""
        assert self.proc is not None, "start() first"
        return tree_rss_kib(self.proc.pid)

    def stop(self, grace: float = 5.0) -> int | None:
        """SIGINT the process group, SIGKILL it after `grace` s; the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        pgid = self.proc.pid
        kids = descendants(pgid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGINT)
        try:
            self.proc.wait(timeout=grace)
            self.clean_stop = True
        except subprocess.TimeoutExpired:
            self.clean_stop = False
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=grace)
        for kid in kids:  # children the server left behind when it exited
            if Path(f"/proc/{kid}").exists():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(kid, signal.SIGKILL)
        return self.proc.returncode

    def log_tail(self, lines: int = 15) -> str:
        """The last lines the server printed."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join("    " + line for line in text.splitlines()[-lines:])

    def __enter__(self) -> Server:
        """Start on entering the block."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Always stop on leaving the block."""
        self.stop()
