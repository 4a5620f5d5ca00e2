"""Fetch the ngrok agent on first use, telling how far the download has got.

pyngrok can download the agent by itself, but only prints its progress to the
terminal, which a window user never sees. This does the same download (the same
address pyngrok would use) in steps: the archive goes to a temporary file next to
the destination, is unpacked there and moved into place at once, so an
interrupted download never leaves half a program behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tarfile
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

CHUNK = 64 * 1024
TIMEOUT = 30.0


class DownloadFailed(Exception):
    """The agent could not be fetched or unpacked; `detail` says why (for the log)."""


def agent_name() -> str:
    """The agent's file name on this system."""
    return "ngrok.exe" if os.name == "nt" else "ngrok"


def default_url() -> str:
    """Where ngrok publishes the agent for this system (pyngrok's table)."""
    from pyngrok import installer

    return installer.get_ngrok_cdn_url("3")


def download_agent(url: str, dest: Path, progress: Callable[[int], None] | None = None,
                   timeout: float = TIMEOUT) -> Path:
    """Download the archive at `url`, unpack the agent to `dest`; `progress(percent)` as it goes.

    `percent` is -1 while the size is unknown. Raises DownloadFailed.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise DownloadFailed(f"not a web address: {url}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    suffix = ".zip" if url.lower().endswith(".zip") else ".tgz"
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".download-") as scratch:
        archive = Path(scratch) / f"agent{suffix}"
        _fetch(url, archive, progress, timeout)
        unpacked = _unpack(archive, Path(scratch) / "unpacked")
        unpacked.chmod(unpacked.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.replace(unpacked, dest)
    return dest


def _fetch(url: str, archive: Path, progress: Callable[[int], None] | None,
           timeout: float) -> None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer, archive.open("wb") as out:
            if answer.status != 200:
                raise DownloadFailed(f"the server answered {answer.status}")
            length = int(answer.headers.get("Content-Length") or 0)
            done, told = 0, None
            while chunk := answer.read(CHUNK):
                out.write(chunk)
                done += len(chunk)
                percent = min(100, done * 100 // length) if length else -1
                if progress is not None and percent != told:
                    told = percent
                    progress(percent)
            if length and done < length:
                raise DownloadFailed(f"the download stopped after {done} of {length} bytes")
    except OSError as exc:  # URLError, HTTPError, timeouts, a full disk
        raise DownloadFailed(str(exc)) from exc


def _unpack(archive: Path, folder: Path) -> Path:
    name = agent_name()
    folder.mkdir()
    target = folder / name
    try:
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as bundle:
                member = next((m for m in bundle.namelist() if Path(m).name == name), None)
                if member is None:
                    raise DownloadFailed(f"no {name} in the archive")
                with bundle.open(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
        else:
            with tarfile.open(archive, "r:gz") as bundle:
                found = next((m for m in bundle.getmembers()
                              if m.isfile() and Path(m.name).name == name), None)
                if found is None:
                    raise DownloadFailed(f"no {name} in the archive")
                source = bundle.extractfile(found)
                assert source is not None  # a regular file always has contents
                with source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        with contextlib.suppress(OSError):
            target.unlink()
        raise DownloadFailed(f"the archive is damaged: {exc}") from exc
    return target
