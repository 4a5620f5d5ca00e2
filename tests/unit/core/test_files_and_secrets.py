"""User files written atomically, corrupt ones moved aside; secrets only in the keychain."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from bellhop.core.platform.accounts import load_accounts, save_accounts
from bellhop.core.platform.jsonfile import CorruptFile, read_json, write_json_atomic
from bellhop.core.platform.secrets import (
    KeychainUnavailable,
    SecretMissing,
    delete_secret,
    get_secret,
    keychain_available,
    set_secret,
)
from bellhop.core.platform.settings import Settings, load_settings, save_settings


def test_atomic_write_leaves_no_temp_files_and_keeps_unicode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.json"
    write_json_atomic(path, {"version": 1, "name": "鶯歌"})
    write_json_atomic(path, {"version": 1, "name": "台北"})
    assert json.loads(path.read_text(encoding="utf-8"))["name"] == "台北"
    assert [p.name for p in path.parent.iterdir()] == ["x.json"]


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    write_json_atomic(path, {"version": 1, "keep": True})
    with pytest.raises(TypeError):
        write_json_atomic(path, {"version": 1, "bad": object()})
    assert json.loads(path.read_text())["keep"] is True
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


@pytest.mark.parametrize("content", [b"{nope", b"[1, 2]", b'{"version": 99}', b"\xff\xfe\x00"])
def test_unreadable_files_are_moved_aside_with_a_reason(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "accounts.json"
    path.write_bytes(content)
    with pytest.raises(CorruptFile) as caught:
        read_json(path, expect_version=1)
    assert not path.exists() and caught.value.moved_to.read_bytes() == content
    assert "accounts.json" in caught.value.message


def test_accounts_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    save_accounts(path, {"office-smtp": {"kind": "smtp", "host": "smtp.example.com",
                                         "port": 587, "security": "starttls"}})
    assert load_accounts(path)["office-smtp"]["port"] == 587
    assert json.loads(path.read_text())["version"] == 1


def test_settings_defaults_and_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings, problem = load_settings(path)
    assert settings.port == 8765 and problem is None
    save_settings(path, Settings(port=9000, language="zh_TW"))
    assert load_settings(path)[0].port == 9000
    path.write_text('{"version": 1, "port": "lots"}')
    settings, problem = load_settings(path)
    assert settings.port == 8765 and problem is not None and problem.moved_to.exists()


def test_settings_of_an_older_version_with_engine_nice_still_load(tmp_path: Path) -> None:
    """`engine_nice` is no longer a setting: a file that has it loads as it is, and the
    next save leaves it out."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "port": 9001, "engine_nice": 5}))
    settings, problem = load_settings(path)
    assert problem is None and settings.port == 9001 and path.exists()
    save_settings(path, settings)
    saved = json.loads(path.read_text())
    assert saved["port"] == 9001 and "engine_nice" not in saved


def test_secrets_go_to_the_keychain(memory_keyring) -> None:
    set_secret("office-smtp", "pa55 word")
    assert memory_keyring.store[("bellhop", "office-smtp")] == "pa55 word"
    assert get_secret("office-smtp") == "pa55 word"
    assert delete_secret("office-smtp") is True
    assert delete_secret("office-smtp") is False
    with pytest.raises(SecretMissing) as caught:
        get_secret("office-smtp")
    assert "bellhop secret set office-smtp" in caught.value.message


def test_no_keychain_gives_a_plain_way_out() -> None:
    keyring.set_keyring(fail.Keyring())
    assert not keychain_available()
    with pytest.raises(KeychainUnavailable) as caught:
        set_secret("x", "y")
    assert "PYTHON_KEYRING_BACKEND" in caught.value.message
    with pytest.raises(KeychainUnavailable):
        get_secret("x")
