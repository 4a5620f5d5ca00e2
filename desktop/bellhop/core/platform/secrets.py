"""Secrets live in the OS keychain through keyring (service 'bellhop'), never in files."""

from __future__ import annotations

import asyncio
import time

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from bellhop.core.errors import BellhopError
from bellhop.core.i18n import _

SERVICE = "bellhop"


class KeychainUnavailable(BellhopError):
    """No usable keychain on this computer."""


class SecretMissing(BellhopError):
    """The keychain has nothing under the asked name."""


def no_keychain_message() -> str:
    """What to do when this computer has no keychain for Bellhop's passwords."""
    return _("No system keychain is available to keep passwords safe. On Linux install and "
             "unlock a keyring such as GNOME Keyring or KWallet (packages gnome-keyring or "
             "kwalletmanager), or choose a keyring backend with the environment variable "
             "PYTHON_KEYRING_BACKEND."
    )


def keychain_available() -> bool:
    """True when a real keychain backend is in use (not keyring's 'fail' backend)."""
    return type(keyring.get_keyring()).__module__ != "keyring.backends.fail"


def set_secret(name: str, value: str) -> None:
    """Keep `value` in the keychain under `name`."""
    try:
        keyring.set_password(SERVICE, name, value)
    except NoKeyringError as exc:
        raise KeychainUnavailable(no_keychain_message()) from exc
    except KeyringError as exc:
        raise KeychainUnavailable(
            _("The keychain refused to save '{name}': {reason}").format(
                name=name, reason=exc)
        ) from exc


def get_secret(name: str) -> str:
    """The secret under `name`; `SecretMissing` if there is none."""
    try:
        value = keyring.get_password(SERVICE, name)
    except NoKeyringError as exc:
        raise KeychainUnavailable(no_keychain_message()) from exc
    except KeyringError as exc:
        raise KeychainUnavailable(
            _("The keychain could not be read: {reason}").format(
                reason=exc)
        ) from exc
    if value is None:
        raise SecretMissing(
            _("The secret '{name}' is not in the keychain. Enter it again in Bellhop "
              "(or run: bellhop secret set {name}).").format(
                name=name,
            )
        )
    return value


def delete_secret(name: str) -> bool:
    """Remove the secret under `name`; False when there was none."""
    try:
        keyring.delete_password(SERVICE, name)
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
        """The secret under `name` (SecretMissing / KeychainUnavailable as get_secret)."""
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
