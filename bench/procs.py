"""Server processes for the benchmarks: CPU pinning, spawn, readiness, RSS, stop.

The process itself is tests/support/serve.py's ServerProcess, the one the end-to-end tests
start `bellhop serve` with; importing this module puts tests/ on sys.path for that.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.ports import free_port
from support.serve import ServerFailed, ServerProcess, serve_argv, status_of, vm_rss_kib

__all__ = ["ServerFailed", "free_port", "probe", "serve_argv", "vm_rss_kib"]
probe = status_of  # GET a path on 127.0.0.1:port; the status, or None


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


def compile_tree(desktop: Path) -> None:
    """Byte-compile a checkout's package, as an install does: a start then reads .pyc
    files (with PYTHONDONTWRITEBYTECODE set, as on this machine, it would otherwise
    compile every module from source at every start)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(desktop / "bellhop")],
                   check=True, env={k: v for k, v in os.environ.items()
                                    if k != "PYTHONDONTWRITEBYTECODE"})


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_rss_kib(pid: int) -> tuple[int, int]:
    """Summed VmRSS in KiB of `pid` and its descendants, and how many descendants."""
    kids = descendants(pid)
    return vm_rss_kib(pid) + sum(vm_rss_kib(kid) for kid in kids), len(kids)


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


class Server(ServerProcess):
    """One running server process, pinned to a CPU, logging into a work directory."""

    def __init__(self, spec: ServerSpec, workdir: Path, cpu: int | None, cwd: Path) -> None:
        """Prepare (not start) a server of `spec` with its own port and files in `workdir`."""
        port = free_port()
        super().__init__([*pin_prefix(cpu), *spec.argv(port)], port, workdir / "server.log",
                         cwd=cwd, own_group=True, label=spec.label)
        self.spec = spec
        self.workdir = workdir
        self.cpu = cpu
        self.log_path = self.output_path
        self.clean_stop: bool | None = None

    def start(self) -> Server:
        """Spawn the process (the clock for start time starts here)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ, PYTHONUNBUFFERED="1", **self.spec.extra_env)
        if self.spec.make_home is not None:
            self.env["BELLHOP_HOME"] = str(self.spec.make_home(self.workdir / "home"))
        super().start()
        return self

    def wait_ready(self, timeout: float = 30.0, interval: float = 0.005) -> float:
        """Poll GET /healthz every `interval` s; seconds from spawn to the first good answer."""
        return self.wait_healthy(timeout, interval, need_200=self.spec.need_200)

    def tree_rss_kib(self) -> tuple[int, int]:
        """VmRSS in KiB of the server and its children, and how many children."""
        assert self.proc is not None, "start() first"
        return tree_rss_kib(self.proc.pid)

    def end(self, sig: signal.Signals = signal.SIGINT, timeout: float = 5.0) -> int | None:
        """SIGINT the process group, SIGKILL it after `timeout` s; the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            return None if self.proc is None else self.proc.returncode
        kids = descendants(self.proc.pid)
        self.clean_stop = super().end(sig, timeout) is not None
        for kid in kids:  # children the server left behind when it exited
            if Path(f"/proc/{kid}").exists():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(kid, signal.SIGKILL)
        return self.proc.returncode

    def log_tail(self, lines: int = 15) -> str:
        """The last lines the server printed."""
        return self.tail(lines)

    def __enter__(self) -> Server:
        """Start on entering the block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Always stop on leaving the block."""
        self.end()
