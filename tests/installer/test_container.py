"""The container recipe (installers/server/Containerfile), built and run for real.

Marked `installer`: `make installer-test` (and CI, through .ci/run) runs it; `make test`
skips it. The build downloads the base image (python:3.11-slim) and Bellhop's
dependencies from PyPI — a minute or two the first time. It needs podman, or docker with
a running daemon; without one it skips and says why. BELLHOP_CONTAINER_TOOL=docker (or
podman) picks the tool. Only this test: `pytest -m installer tests/installer/test_container.py`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.serve import ServerFailed, status_of, wait_until

pytestmark = pytest.mark.installer

ROOT = Path(__file__).parents[2]
SERVER = ROOT / "installers" / "server"
BUILD_TIMEOUT = 1200  # seconds: a hang guard for a slow registry, not a measure
START_TIMEOUT = 120
# `docker info` says "OSType: linux", `podman info` "os: linux" (Windows containers: no).
LINUX_ENGINE = re.compile(r"^\s*(OSType|os):\s*linux\s*$", re.IGNORECASE | re.MULTILINE)


def container_tool() -> str:
    """docker when its daemon answers, else podman; skip naming what is missing."""
    chosen = os.environ.get("BELLHOP_CONTAINER_TOOL")
    reasons = []
    for name in [chosen] if chosen else ["docker", "podman"]:
        path = shutil.which(name)
        if path is None:
            reasons.append(f"{name} is not installed")
            continue
        info = subprocess.run([path, "info"], capture_output=True, text=True, timeout=60)
        if info.returncode == 0 and LINUX_ENGINE.search(info.stdout):
            return path
        if info.returncode == 0:
            reasons.append(f"{name}'s engine does not run Linux containers")
            continue
        said = (info.stderr.strip() or info.stdout.strip()).splitlines()
        reasons.append(f"`{name} info` failed: {said[-1] if said else info.returncode}")
    pytest.skip("no container tool with a working engine: " + "; ".join(reasons))


def build_context(folder: Path) -> Path:
    """Only what the Containerfile copies (not .venv, .git, dist, caches)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "desktop" / "bellhop", folder / "desktop" / "bellhop", ignore=ignore)
    shutil.copytree(ROOT / "resources" / "locale", folder / "resources" / "locale")
    shutil.copytree(SERVER, folder / "installers" / "server", ignore=ignore)
    return folder


def run(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a container command; its output."""
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    if check:
        said = done.stdout[-3000:] + done.stderr[-3000:]
        assert done.returncode == 0, f"{' '.join(args)}:\n{said}"
    return done


class Container:
    """One image built from the recipe, one container of it, one data volume; all removed."""

    def __init__(self, tool: str, context: Path) -> None:
        self.tool = tool
        self.context = context
        suffix = secrets.token_hex(4)
        self.image = f"bellhop-test:{suffix}"
        self.name = f"bellhop-test-{suffix}"
        self.volume = f"bellhop-test-data-{suffix}"

    @property
    def podman(self) -> bool:
        return Path(self.tool).name.startswith("podman")

    def build(self) -> None:
        # podman writes OCI images by default, which have no HEALTHCHECK: ask for Docker's.
        format_ = ["--format", "docker"] if self.podman else []
        run(self.tool, "build", *format_, "-f",
            str(self.context / "installers/server/Containerfile"), "-t", self.image,
            str(self.context), timeout=BUILD_TIMEOUT)

    def healthy(self) -> bool:
        """The image's HEALTHCHECK passed (podman runs it on request: its own timers need
        systemd, which a CI container may lack)."""
        if self.podman:
            return run(self.tool, "healthcheck", "run", self.name, check=False).returncode == 0
        return self.inspect("{{.State.Health.Status}}") == "healthy"

    def start(self) -> int:
        """Run it with the data volume and the port on 127.0.0.1; the host port."""
        run(self.tool, "run", "-d", "--name", self.name, "-v", f"{self.volume}:/data",
            "-p", "127.0.0.1::8765", "--health-interval", "1s", "--stop-timeout", "90",
            self.image)
        mapped = run(self.tool, "port", self.name, "8765/tcp").stdout.strip().splitlines()
        return int(mapped[0].rsplit(":", 1)[1])

    def inspect(self, template: str) -> str:
        return run(self.tool, "inspect", "--format", template, self.name).stdout.strip()

    def logs(self) -> str:
        done = run(self.tool, "logs", self.name, check=False)
        return done.stdout[-3000:] + done.stderr[-3000:]

    def remove(self) -> None:
        for args in (("rm", "-f", self.name), ("volume", "rm", "-f", self.volume),
                     ("rmi", "-f", self.image)):
            run(self.tool, *args, check=False)


@pytest.fixture(scope="module")
def container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    box = Container(container_tool(), build_context(tmp_path_factory.mktemp("context")))
    try:
        box.build()
        yield box
    finally:
        box.remove()


def test_image_runs_serve_as_a_user_answers_healthz_and_stops_cleanly(
        container: Container) -> None:
    port = container.start()
    try:
        wait_until(lambda: status_of(port, "/healthz") == 200, START_TIMEOUT,
                   f"/healthz on 127.0.0.1:{port}")
        # The image's own HEALTHCHECK (every second here) says so too.
        wait_until(container.healthy, START_TIMEOUT, "the image's health check to pass")
    except ServerFailed as exc:
        raise AssertionError(f"{exc}\n{container.logs()}") from exc
    # Not root, and the data folder is the volume.
    user = run(container.tool, "exec", container.name, "id", "-u").stdout.strip()
    assert user == "10001"
    home = run(container.tool, "exec", container.name, "printenv", "BELLHOP_HOME").stdout
    assert home.strip() == "/data"
    # The receiver answers webhooks: an address no rule has is refused, plainly.
    assert status_of(port, f"/hooks/{secrets.token_urlsafe(16)}") == 404
    assert "Bellhop is listening" in container.logs()

    run(container.tool, "stop", "-t", "90", container.name, timeout=120)
    assert container.inspect("{{.State.ExitCode}}") == "0", container.logs()
    # What it wrote stays in the volume for the next container (and for backups).
    listing = run(container.tool, "run", "--rm", "-v", f"{container.volume}:/data",
                  "--entrypoint", "ls", container.image, "/data").stdout.split()
    assert "events.db" in listing, listing


def test_image_has_no_qt(container: Container) -> None:
    """The server image leaves the window out: PySide6 is not installed."""
    done = run(container.tool, "run", "--rm", "--entrypoint", "python", container.image,
               "-c", "import importlib.util as u; print(u.find_spec('PySide6') is None)")
    assert done.stdout.strip() == "True"
