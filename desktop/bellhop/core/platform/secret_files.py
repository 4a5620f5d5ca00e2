"""Secrets a server hands Bellhop as files: systemd credentials and container secrets.

Read only: Bellhop never writes, moves or deletes these files. Folders, in order:

* `$CREDENTIALS_DIRECTORY`, set by systemd for a service whose unit has
  `LoadCredential=NAME:/path` or `LoadCredentialEncrypted=NAME:/path`;
* `$BELLHOP_SECRETS_DIR`, else `/run/secrets`, where Docker, Podman and
  Kubernetes put secrets.

A secret's file is named after the name `bellhop secret set NAME` (and rules.json,
accounts.json) use: the name itself when it has only ASCII letters, digits, `-`,
`_` and `.` (not first); otherwise every other character is written as `%XX`, the
bytes of its UTF-8 in upper-case hex ("office mail" → "office%20mail", "辦公室" →
"%E8%BE%A6%E5%85%AC%E5%AE%A4"). One trailing newline is dropped from the content, as
`echo` and editors add one.
"""

from __future__ import annotations

import os
import string
from pathlib import Path

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _

CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"
SECRETS_DIR_ENV = "BELLHOP_SECRETS_DIR"
DEFAULT_SECRETS_DIR = "/run/secrets"
MAX_FILE_NAME = 255  # bytes, the longest file name Linux file systems take
MAX_SECRET_BYTES = 1024 * 1024  # a Google key is about 2 KB: more is the wrong file
_SAFE = frozenset(string.ascii_letters + string.digits + "-_.")


class SecretUnavailable(BellhopError):
    """A secret could not be had; the message says why and what to do."""


class SecretFileUnreadable(SecretUnavailable):
    """A secret's file is there but cannot be used (permissions, not text, empty)."""


def file_name(name: str) -> str:
    """The file name that holds the secret called `name` (see the module's text)."""
    out = []
    for position, char in enumerate(name):
        if char in _SAFE and not (position == 0 and char == "."):
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def credentials_dir() -> Path | None:
    """systemd's credentials folder of this service, when it runs as one."""
    value = os.environ.get(CREDENTIALS_ENV, "")
    return Path(value) if value else None


def secrets_dir() -> Path:
    """The container secrets folder: $BELLHOP_SECRETS_DIR, else /run/secrets."""
    return Path(os.environ.get(SECRETS_DIR_ENV, "") or DEFAULT_SECRETS_DIR)


def candidate_paths(name: str) -> list[Path]:
    """Where the file of `name` is looked for, in order."""
    file = file_name(name)
    folders = [credentials_dir(), secrets_dir()]
    return [folder / file for folder in folders if folder is not None]


def read_secret_file(name: str) -> tuple[str, Path] | None:
    """The secret from the first of `candidate_paths` that exists, and that file; None when
    no file holds it. SecretFileUnreadable when the file is there but cannot be used."""
    file = file_name(name)
    if len(file.encode("utf-8")) > MAX_FILE_NAME:
        return None  # no file can have this name; the caller says how to give it
    for path in candidate_paths(name):
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_SECRET_BYTES + 1)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise SecretFileUnreadable(_unreadable(name, path, exc)) from exc
        return _text_of(name, path, data), path
    return None


def _unreadable(name: str, path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return _("Bellhop may not read the secret '{name}' from {path}. Let the user Bellhop runs "
                 "as read that file (systemd gives the service its credentials readable; for "
                 "a container, check the secret's owner and mode).").format(name=name, path=path)
    if isinstance(exc, IsADirectoryError):
        return _("The secret '{name}' should be a file, but {path} is a folder.").format(
            name=name, path=path)
    return _("Bellhop could not read the secret '{name}' from {path}: {reason}.").format(
        name=name, path=path, reason=exc.strerror or exc)


def _text_of(name: str, path: Path, data: bytes) -> str:
    if len(data) > MAX_SECRET_BYTES:
        raise SecretFileUnreadable(_(
            "The file {path} for the secret '{name}' is larger than 1 MB. Is it the right "
            "file?").format(name=name, path=path))
    try:
        text = data.decode("utf-8-sig")  # a byte order mark, as some Windows editors add
    except UnicodeDecodeError as exc:
        raise SecretFileUnreadable(_(
            "The file {path} for the secret '{name}' is not text (UTF-8). Put the secret "
            "in it as plain text.").format(name=name, path=path)) from exc
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    if not text:
        raise SecretFileUnreadable(_(
            "The file {path} for the secret '{name}' is empty. Put the secret in it.").format(
            name=name, path=path))
    return text


def unit_credential(name: str) -> str:
    """The credential's name as written in a systemd unit (`%` is doubled there)."""
    return file_name(name).replace("%", "%%")


def how_to_give(name: str) -> str:
    """How to hand Bellhop the secret `name` on a server, in one plain sentence."""
    file = file_name(name)
    if len(file.encode("utf-8")) > MAX_FILE_NAME:
        return _("Its name is too long to be a file name: give the secret a shorter name in "
                 "rules.json or accounts.json.")
    return _("Put it in a file and give that file to Bellhop as a systemd credential named "
             "“{file}” (e.g. in the service's unit: LoadCredential={credential}:/etc/credstore/"
             "{credential}) or as the container secret {folder}/{file}.").format(
        file=file, credential=unit_credential(name), folder=secrets_dir())
