"""A keychain for test subprocesses: a JSON file named by BELLHOP_TEST_KEYRING.

Only for tests that start `bellhop` as a separate process and need it to see
secrets the test put there. Selected with PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring.
$BELLHOP_TEST_KEYRING_DELAY seconds make every read slow, as a keychain that is being
unlocked is.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    """Secrets in the JSON file at $BELLHOP_TEST_KEYRING (outside the data home)."""

    priority = 0.5  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ["BELLHOP_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(float(os.environ.get("BELLHOP_TEST_KEYRING_DELAY", "0")))
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(data), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self.path.write_text(json.dumps(data), encoding="utf-8")
