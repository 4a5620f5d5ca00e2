"""Secrets: the OS keychain through keyring (service 'bellhop'), never Bellhop's own files.

Where no keychain is usable (a server: keyring's backend is the fail or null one, or
it fails when asked), secrets are read, never written, from the files a server
provides: systemd credentials and container secrets (core/platform/secret_files.py).
The keychain wins whenever it has the secret.
"""

from __future__ import annotations

import asyncio
import shlex
import time
from types import ModuleType

from bellhop.core.headless import worded
from bellhop.core.i18n import _
from bellhop.core.platform.secret_files import (
    SecretUnavailable,
    candidate_paths,
    how_to_give,
    read_secret_file,
)

SERVICE = "bellhop"
KEYCHAIN_PROBE = "bellhop-keychain-check"  # a name asked for only to see if the keychain works
# keyring's backends that keep nothing: chosen when no real keychain exists.
_NO_KEYCHAIN_BACKENDS = ("keyring.backends.fail", "keyring.backends.null")


class KeychainUnavailable(SecretUnavailable):
    """No usable keychain on this computer (and, when reading, no file with the secret)."""


class SecretMissing(SecretUnavailable):
    """The keychain has nothing under the asked name, and no file holds it."""


def no_keychain_message() -> str:
    """What to do when this computer has no keychain for Bellhop's passwords."""
    return _("No system keychain is available to keep passwords safe. On Linux install and "
             "unlock a keyring such as GNOME Keyring or KWallet (packages gnome-keyring or "
             "kwalletmanager), or choose a keyring backend with the environment variable "
             "PYTHON_KEYRING_BACKEND."
    )


def _keyring() -> ModuleType:
    """keyring, imported the first time the keychain is asked: with the backends it looks
    for, about 20 ms of a start at which no secret is needed."""
    import keyring

    return keyring


def keychain_available() -> bool:
    """True when a keychain backend that keeps secrets is in use (not keyring's 'fail' or
    'null' backend, nor its chainer with nothing to chain)."""
    backend = _keyring().get_keyring()
    if type(backend).__module__ in _NO_KEYCHAIN_BACKENDS:
        return False
    chained = getattr(type(backend), "backends", None)
    return not (type(backend).__module__ == "keyring.backends.chainer" and not chained)


def keychain_problem() -> str | None:
    """Why the keychain cannot keep passwords here, in plain words; None when it works.
    Asks the keychain itself (never the server's files): it may be locked or unreachable."""
    if not keychain_available():
        return no_keychain_message()
    try:
        _keyring().get_password(SERVICE, KEYCHAIN_PROBE)
    except Exception as exc:  # KeyringError, or a backend failing its own way (D-Bus)
        return _("The keychain could not be read: {reason}").format(
            reason=str(exc) or type(exc).__name__)
    return None


def how_to_save(name: str) -> str:
    """How a person hands Bellhop the secret `name` here: the keychain command where there
    is a keychain, else the file a server gives it as."""
    if keychain_available():
        return _("Save it with: {command}").format(command=secret_set_command(name))
    return how_to_give(name)


def secret_set_command(name: str) -> str:
    """The command that saves the secret `name`, quoted for a shell when it needs to be."""
    return f"bellhop secret set {shlex.quote(name)}"


def cannot_save_message(name: str, reason: str | None = None) -> str:
    """Why `bellhop secret set NAME` cannot save here (no keychain, or `reason`) and what to
    do instead: a server's secret file, named exactly, or a keychain on a desktop."""
    lines = [reason or _("There is no keychain on this computer, so Bellhop cannot save "
                         "'{name}'.").format(name=name),
             _("Bellhop never writes secrets to its data folder. On a server, give the secret "
               "as a file instead. {how}").format(how=how_to_give(name))]
    found = _file_holding(name)
    if found:
        lines.append(_("Bellhop already reads '{name}' from {path}.").format(
            name=name, path=found))
    lines.append(_("On a desktop, install and unlock a keychain (GNOME Keyring or KWallet), "
                   "then run this command again."))
    return "\n".join(lines)


def cannot_delete_message(name: str) -> str:
    """Why `bellhop secret delete NAME` has nothing to remove without a keychain."""
    message = _("There is no keychain on this computer, so there is nothing to remove.")
    found = _file_holding(name)
    if found:
        message += "\n" + _("Bellhop reads '{name}' from {path}, which it never changes: remove "
                           "that file (or its LoadCredential= line) yourself.").format(
            name=name, path=found)
    return message


def _file_holding(name: str) -> str | None:
    try:
        found = read_secret_file(name)
    except SecretUnavailable:  # there, but unreadable: still the file that gives it
        return next((str(path) for path in candidate_paths(name) if path.exists()), None)
    return str(found[1]) if found else None


def set_secret(name: str, value: str) -> None:
    """Keep `value` in the keychain under `name` (KeychainUnavailable without one: secrets
    never go to a file)."""
    if not keychain_available():
        raise KeychainUnavailable(no_keychain_message())
    from keyring.errors import KeyringError, NoKeyringError

    try:
        _keyring().set_password(SERVICE, name, value)
    except NoKeyringError as exc:
        raise KeychainUnavailable(no_keychain_message()) from exc
    except KeyringError as exc:
        raise KeychainUnavailable(
            _("The keychain refused to save '{name}': {reason}").format(
                name=name, reason=exc)
        ) from exc


def get_secret(name: str) -> str:
    """The secret under `name`: from the keychain, else from a server's secret file.

    SecretMissing when the keychain works but neither it nor a file has it;
    KeychainUnavailable when there is no keychain and no file; SecretFileUnreadable
    when the file is there but cannot be used."""
    keychain_problem: str | None = None
    if keychain_available():
        from keyring.errors import NoKeyringError

        try:
            value = _keyring().get_password(SERVICE, name)
        except NoKeyringError:
            keychain_problem = _("this computer has no keychain")
        except Exception as exc:  # KeyringError, or a backend failing its own way (D-Bus)
            keychain_problem = _("the keychain could not be read ({reason})").format(
                reason=str(exc) or type(exc).__name__)
        else:
            if value is not None:
                return value
    else:
        keychain_problem = _("this computer has no keychain")
    found = read_secret_file(name)
    if found is not None:
        return found[0]
    if keychain_problem is not None:
        looked = ", ".join(str(path) for path in candidate_paths(name))
        raise KeychainUnavailable(
            _("Bellhop could not find the secret '{name}': {problem}, and no file holds it "
              "({looked}). {how}").format(
                name=name, problem=keychain_problem, looked=looked, how=how_to_give(name)))
    raise SecretMissing(worded(
        _("The secret '{name}' is not in the keychain. Enter it again in Bellhop "
          "(or run: bellhop secret set {name}).").format(name=name),
        _("The secret '{name}' is not in the keychain. Save it with: {command}").format(
            name=name, command=secret_set_command(name))))


def delete_secret(name: str) -> bool:
    """Remove the secret under `name` from the keychain; False when there was none.
    (A server's secret files are not Bellhop's to remove.)"""
    if not keychain_available():
        raise KeychainUnavailable(no_keychain_message())
    from keyring.errors import NoKeyringError, PasswordDeleteError

    try:
        _keyring().delete_password(SERVICE, name)
    except PasswordDeleteError:
        return False
    except NoKeyringError as exc:
        raise KeychainUnavailable(no_keychain_message()) from exc
    return True


class CachedSecrets:
    """Secrets for the webhook path: read off the loop, kept a minute, so a keychain that
    answers slowly (D-Bus, a locked wallet) never holds up deliveries for long."""

    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._values: dict[str, tuple[float, str]] = {}

    async def get(self, name: str) -> str:
        """The secret under `name` (SecretUnavailable as get_secret)."""
        now = time.monotonic()
        cached = self._values.get(name)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        value = await asyncio.to_thread(get_secret, name)
        self._values[name] = (now, value)
        return value

    def forget(self, name: str | None = None) -> None:
        """Drop a cached secret (all of them with None), e.g. after the user changed it."""
        if name is None:
            self._values.clear()
        else:
            self._values.pop(name, None)
