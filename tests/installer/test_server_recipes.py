"""The server recipes (installers/server/) are valid and agree with the app and the .deb.

Quick (a second or two, nothing is built): not marked `installer`, so `make test` and CI
run them. Where systemd's tools are missing (macOS, Windows, a distribution without
systemd) the checks that need them skip and say so.
"""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bellhop.core.services.tunnel import NGROK_SECRET

ROOT = Path(__file__).parents[2]
SERVER = ROOT / "installers" / "server"
UNIT = SERVER / "bellhop.service"
SYSUSERS = SERVER / "bellhop.sysusers.conf"
# Where the host keeps systemd's own units (sysinit.target and friends), which verify loads.
SYSTEM_UNITS = next((p for p in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system"))
                     if (p / "sysinit.target").is_file()), None)

sys.path.insert(0, str(ROOT / "installers" / "linux"))
sys.path.insert(0, str(SERVER))
import healthcheck  # noqa: E402
import make_deb  # noqa: E402
import requirements  # noqa: E402


def service() -> dict[str, list[str]]:
    """The [Service] section: each key with every value it is given, in order."""
    parser = configparser.ConfigParser(strict=False, interpolation=None,
                                       dict_type=_MultiDict)  # type: ignore[arg-type]
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return {key: value.split("\n") for key, value in parser["Service"].items()}


class _MultiDict(dict):  # type: ignore[type-arg]
    """configparser's store that keeps repeated keys (systemd's lists) instead of the last."""

    def __setitem__(self, key: str, value: object) -> None:
        if isinstance(value, list) and key in self:
            self[key].extend(value)
        else:
            super().__setitem__(key, value)


def environment() -> dict[str, str]:
    """Environment= lines of the unit as a dict."""
    pairs = [line.split("=", 1) for line in service()["Environment"]]
    return {name: value for name, value in pairs}


def tool(name: str) -> str:
    """The path of a systemd tool, or skip the test saying which is missing."""
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (systemd's tools: Linux with systemd only)")
    return found


def analyze() -> str:
    """systemd-analyze, new enough for `verify --root` and `security --offline` (250)."""
    found = tool("systemd-analyze")
    said = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=60)
    version = int(said.stdout.split()[1]) if said.stdout.startswith("systemd ") else 0
    if version < 250:
        pytest.skip(f"systemd-analyze of systemd {version or '?'}: verify --root and "
                    "security --offline need systemd 250 or newer")
    return found


@pytest.fixture
def scratch_root(tmp_path: Path) -> Path:
    """A root with the unit installed, the host's systemd units, and a stand-in at the
    program the unit starts (verify requires ExecStart's program to exist)."""
    if SYSTEM_UNITS is None:
        pytest.skip("no systemd units on this system (sysinit.target), verify needs them")
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    shutil.copy(UNIT, root / "etc/systemd/system" / UNIT.name)
    program = root / exec_start()[0].lstrip("/")
    program.parent.mkdir(parents=True, exist_ok=True)
    program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    program.chmod(0o755)
    return root


def exec_start() -> list[str]:
    """The command ExecStart= runs, split as systemd splits it."""
    (line,) = service()["ExecStart"]
    return shlex.split(line)


def test_systemd_analyze_verify_accepts_the_unit(scratch_root: Path) -> None:
    systemd_analyze = analyze()
    done = subprocess.run([systemd_analyze, "verify", "--man=no", f"--root={scratch_root}",
                           UNIT.name], capture_output=True, text=True, timeout=60)
    # verify exits 0 even for an unknown key or a bad value ("…, ignoring"): nothing may be
    # said about the unit (the host's own units, loaded as dependencies, may have remarks).
    said = [line for line in (done.stdout + done.stderr).splitlines() if UNIT.name in line]
    assert done.returncode == 0 and not said, done.stdout + done.stderr


def test_verify_would_catch_a_mistake_in_the_unit(scratch_root: Path) -> None:
    """The check above can fail: a misspelt key in a copy of the unit is reported."""
    systemd_analyze = analyze()
    copy = scratch_root / "etc/systemd/system" / UNIT.name
    copy.write_text(copy.read_text(encoding="utf-8").replace(
        "ProtectHome=yes", "ProtectHomes=yes"), encoding="utf-8")
    done = subprocess.run([systemd_analyze, "verify", "--man=no", f"--root={scratch_root}",
                           UNIT.name], capture_output=True, text=True, timeout=60)
    assert "ProtectHomes" in done.stdout + done.stderr


def test_unit_is_rated_hardened_by_systemd_analyze_security() -> None:
    systemd_analyze = analyze()
    done = subprocess.run([systemd_analyze, "security", "--offline=yes", "--no-pager",
                           "--threshold=25", str(UNIT)],  # tenths: at most "2.5 OK"
                          capture_output=True, text=True, timeout=60)
    summary = [line for line in done.stdout.splitlines() if "Overall exposure" in line]
    assert done.returncode == 0, summary or done.stdout[-2000:] + done.stderr


def test_unit_starts_the_program_the_deb_installs(tmp_path: Path) -> None:
    """ExecStart names the launcher the .deb lays out, and runs `serve` on loopback."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "bellhop").write_text("stand-in for the PyInstaller bundle", encoding="utf-8")
    icons = tmp_path / "icons"
    icons.mkdir()
    for size in make_deb.ICON_SIZES:
        (icons / f"bellhop-{size}.png").write_bytes(b"\x89PNG stand-in")
    root = tmp_path / "deb-root"
    make_deb.stage(bundle, icons, root, "1.2.3", "amd64")
    command = exec_start()
    program = root / command[0].lstrip("/")
    assert program.is_file() and program.stat().st_mode & 0o111, command[0]
    assert command[1] == "serve"
    assert command[command.index("--host") + 1] == "127.0.0.1"


def test_unit_keeps_its_data_in_its_state_directory_as_its_own_user() -> None:
    unit = service()
    (state,) = unit["StateDirectory"]
    assert environment()["BELLHOP_HOME"] == f"%S/{state}"
    assert unit["WorkingDirectory"] == [f"%S/{state}"]
    # The user the unit runs as is the one bellhop.sysusers.conf creates, with that home.
    user_lines = [line.split() for line in SYSUSERS.read_text(encoding="utf-8").splitlines()
                  if line.startswith("u ")]
    assert len(user_lines) == 1
    assert unit["User"] == [user_lines[0][1]] and unit["Group"] == [user_lines[0][1]]
    assert f"/var/lib/{state}" in user_lines[0]
    assert "DynamicUser" not in unit


def test_unit_has_no_keychain_and_loads_the_ngrok_authtoken_by_its_secret_name() -> None:
    assert environment()["PYTHON_KEYRING_BACKEND"] == "keyring.backends.fail.Keyring"
    # A bare name: looked up in /etc/credstore/, skipped when it is not there.
    assert service()["LoadCredential"] == [NGROK_SECRET]


def test_unit_restarts_on_failure_and_waits_for_a_clean_stop() -> None:
    unit = service()
    assert unit["Restart"] == ["on-failure"] and unit["KillSignal"] == ["SIGTERM"]
    (stop,) = unit["TimeoutStopSec"]
    # The receiver waits up to 60 s for deliveries being answered, ngrok up to 5 s more.
    assert int(stop.removesuffix("s")) > 65


def test_sysusers_file_creates_the_units_user(tmp_path: Path) -> None:
    sysusers = tool("systemd-sysusers")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow"):
        (root / "etc" / name).touch()
    done = subprocess.run([sysusers, f"--root={root}", str(SYSUSERS)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    entry = next(line.split(":") for line in
                 (root / "etc/passwd").read_text(encoding="utf-8").splitlines()
                 if line.startswith("bellhop:"))
    assert entry[0] == service()["User"][0]
    assert entry[5] == "/var/lib/bellhop" and entry[6] == "/usr/sbin/nologin"
    assert int(entry[2]) < 1000  # a system user


def test_container_requirements_are_the_projects_without_qt() -> None:
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dependencies = declared["project"]["dependencies"]
    kept = requirements.server_requirements(ROOT / "pyproject.toml")
    dropped = [r for r in dependencies if r not in kept]
    assert dropped and all(r.lower().startswith("pyside6") for r in dropped), dropped
    assert all(r in dependencies for r in kept)
    assert "aiohttp" in {requirements.distribution(r) for r in kept}


def test_requirement_names_are_normalised_and_junk_is_refused() -> None:
    assert requirements.distribution("PySide6_Essentials >=6.7,<6.12") == "pyside6-essentials"
    assert requirements.distribution("google.auth>=2") == "google-auth"
    with pytest.raises(ValueError, match="not a requirement"):
        requirements.distribution(">=1.0")


class _Unwell(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(503)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def unwell_port() -> Iterator[int]:
    """Something on 127.0.0.1 that answers every GET with 503."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unwell)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_container_health_check_fails_on_anything_but_200(unwell_port: int) -> None:
    assert healthcheck.check(unwell_port) == "Bellhop answered /healthz with 503"
    done = subprocess.run([sys.executable, str(SERVER / "healthcheck.py"), str(unwell_port)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "503" in done.stdout and not done.stderr


def containerfile() -> list[tuple[str, str]]:
    """The Containerfile's instructions as (KEYWORD, arguments), continuations joined."""
    text = (SERVER / "Containerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = "\n".join(lines).replace("\\\n", " ")
    return [(parts[0].upper(), parts[1] if len(parts) > 1 else "")
            for line in joined.splitlines() if (parts := line.split(None, 1))]


def test_containerfile_copies_files_that_exist_and_runs_as_a_user() -> None:
    steps = containerfile()
    keywords = {keyword for keyword, __ in steps}
    assert keywords <= {"ARG", "FROM", "ENV", "WORKDIR", "RUN", "COPY", "USER", "VOLUME",
                        "EXPOSE", "HEALTHCHECK", "STOPSIGNAL", "ENTRYPOINT", "CMD"}, keywords
    copied = [shlex.split(args) for keyword, args in steps if keyword == "COPY"]
    for sources in (c[:-1] for c in copied if not c[0].startswith("--from")):
        for source in sources:
            assert (ROOT / source).exists(), source
    (user,) = [args for keyword, args in steps if keyword == "USER"]
    assert user.split(":")[0].isdigit() and user.split(":")[0] != "0"
    env = " ".join(args for keyword, args in steps if keyword == "ENV")
    assert "BELLHOP_HOME=/data" in env and 'VOLUME ["/data"]' in {f"{k} {a}" for k, a in steps}
    assert f"PYTHON_KEYRING_BACKEND={environment()['PYTHON_KEYRING_BACKEND']}" in env
    (health,) = [args for keyword, args in steps if keyword == "HEALTHCHECK"]
    assert "/opt/bellhop/healthcheck.py" in health
    assert ["installers/server/healthcheck.py", "/opt/bellhop/healthcheck.py"] in copied


def test_guide_sends_the_proxy_and_the_container_to_the_port_serve_listens_on() -> None:
    guide = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    command = exec_start()
    address = f"{command[command.index('--host') + 1]}:{command[command.index('--port') + 1]}"
    assert guide.count(f"reverse_proxy {address}") == 2  # Caddy: /hooks/ and /healthz
    assert guide.count(f"proxy_pass http://{address};") == 2  # nginx: the same two
    container_port = next(args for keyword, args in containerfile() if keyword == "EXPOSE")
    assert f"-p 127.0.0.1:8765:{container_port}" in guide
