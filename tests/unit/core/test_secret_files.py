"""Secrets on a server: systemd credentials and container secrets, read only, keychain first."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringError

from bellhop.core.headless import headless_wording
from bellhop.core.platform.secret_files import (
    SecretFileUnreadable,
    candidate_paths,
    file_name,
    how_to_give,
    read_secret_file,
    unit_credential,
)
from bellhop.core.platform.secrets import (
    KeychainUnavailable,
    SecretMissing,
    cannot_delete_message,
    cannot_save_message,
    delete_secret,
    get_secret,
    how_to_save,
    keychain_available,
    keychain_problem,
    no_keychain_message,
    set_secret,
)


class BrokenKeyring(KeyringBackend):
    """A keychain that fails when asked, as Secret Service does without a D-Bus session."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("no D-Bus session")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("no D-Bus session")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("no D-Bus session")


@pytest.fixture
def credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A systemd credentials folder, as $CREDENTIALS_DIRECTORY."""
    folder = tmp_path / "credentials"
    folder.mkdir()
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(folder))
    return folder


@pytest.fixture
def no_keychain() -> None:
    """keyring's fail backend: what a server without a desktop session has."""
    keyring.set_keyring(fail.Keyring())


# -- file names -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "file"), [
    ("office-smtp", "office-smtp"),
    ("shopify_signing.v2", "shopify_signing.v2"),
    ("ngrok", "ngrok"),
    ("office mail", "office%20mail"),
    ("辦公室", "%E8%BE%A6%E5%85%AC%E5%AE%A4"),
    ("a/b", "a%2Fb"),
    ("..", "%2E."),
    (".hidden", "%2Ehidden"),
    ("50%", "50%25"),
    ("line:token", "line%3Atoken"),
])
def test_file_names_are_the_name_itself_when_safe_else_escaped(name: str, file: str) -> None:
    assert file_name(name) == file
    assert "/" not in file_name(name) and file_name(name) not in (".", "..")


def test_escaped_names_never_collide_with_safe_ones() -> None:
    names = ["office mail", "office%20mail", "office_mail", "office-mail", ".x", "%2Ex"]
    assert len({file_name(name) for name in names}) == len(names)


def test_a_unit_file_writes_the_escape_with_a_doubled_percent() -> None:
    # systemd reads "%2" in a unit as a specifier: "%%" is a plain "%".
    assert unit_credential("office mail") == "office%%20mail"
    assert "LoadCredential=office%%20mail:" in how_to_give("office mail")
    assert "“office%20mail”" in how_to_give("office mail")


# -- where files are looked for ---------------------------------------------------------


def test_secrets_dir_defaults_to_run_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BELLHOP_SECRETS_DIR")
    assert candidate_paths("office-smtp") == [Path("/run/secrets/office-smtp")]
    assert "/run/secrets/office-smtp" in how_to_give("office-smtp")


def test_credentials_come_before_container_secrets(credentials: Path, secret_files: Path) -> None:
    assert candidate_paths("x") == [credentials / "x", secret_files / "x"]
    (secret_files / "office-smtp").write_text("from the container\n")
    assert read_secret_file("office-smtp") == ("from the container",
                                               secret_files / "office-smtp")
    (credentials / "office-smtp").write_text("from systemd\n")
    assert read_secret_file("office-smtp") == ("from systemd", credentials / "office-smtp")


def test_bellhop_secrets_dir_moves_the_container_folder(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "mounted"
    elsewhere.mkdir()
    (elsewhere / "office%20mail").write_text("pa55")
    monkeypatch.setenv("BELLHOP_SECRETS_DIR", str(elsewhere))
    assert read_secret_file("office mail") == ("pa55", elsewhere / "office%20mail")


def test_no_file_and_no_folder_is_simply_nothing(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path / "not-there"))
    monkeypatch.setenv("BELLHOP_SECRETS_DIR", str(tmp_path / "nor-this"))
    assert read_secret_file("office-smtp") is None


# -- what a file holds ------------------------------------------------------------------


@pytest.mark.parametrize(("content", "secret"), [
    (b"pa55 word\n", "pa55 word"),
    (b"pa55 word\r\n", "pa55 word"),
    (b"pa55 word", "pa55 word"),
    (b"pa55 word\n\n", "pa55 word\n"),  # one newline only: the rest is the secret's
    (b" spaced \n", " spaced "),
    (b"\xef\xbb\xbfbom\n", "bom"),
    (b'{"type": "service_account"}\n', '{"type": "service_account"}'),
    ("密碼\n".encode(), "密碼"),
])
def test_one_trailing_newline_is_dropped(secret_files: Path, content: bytes, secret: str) -> None:
    (secret_files / "s").write_bytes(content)
    assert read_secret_file("s") == (secret, secret_files / "s")


@pytest.mark.parametrize(("content", "words"), [
    (b"", "is empty"),
    (b"\n", "is empty"),
    (b"\xff\xfe\x00bad", "is not text (UTF-8)"),
    (b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
])
def test_a_file_that_cannot_be_a_secret_says_why(secret_files: Path, content: bytes,
                                                 words: str) -> None:
    (secret_files / "s").write_bytes(content)
    with pytest.raises(SecretFileUnreadable) as caught:
        read_secret_file("s")
    assert words in caught.value.message
    assert str(secret_files / "s") in caught.value.message


CHECK_UNREADABLE = """
from bellhop.core.platform.secrets import get_secret
from bellhop.core.platform.secret_files import SecretFileUnreadable
try:
    get_secret("office-smtp")
except SecretFileUnreadable as exc:
    print(exc.message)
"""


def test_an_unreadable_file_is_a_plain_error(secret_files: Path) -> None:
    path = secret_files / "office-smtp"
    path.write_text("pa55\n")
    path.chmod(0)
    keyring.set_keyring(fail.Keyring())
    if os.geteuid() != 0:
        with pytest.raises(SecretFileUnreadable) as caught:
            get_secret("office-smtp")
        message = caught.value.message
    else:  # root reads every file: ask again as root without the right to override modes
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop the override")
        done = subprocess.run(
            ["setpriv", "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-c",
             CHECK_UNREADABLE], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path),
                 "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
        message = done.stdout.strip()
    assert message.startswith(f"Bellhop may not read the secret 'office-smtp' from {path}. ")


def test_an_unreadable_file_is_a_plain_error_even_for_root(secret_files: Path) -> None:
    (secret_files / "office-smtp").mkdir()  # a folder where the file should be
    with pytest.raises(SecretFileUnreadable) as caught:
        get_secret("office-smtp")
    assert caught.value.message == (f"The secret 'office-smtp' should be a file, but "
                                    f"{secret_files / 'office-smtp'} is a folder.")


def test_a_name_too_long_for_a_file_is_never_looked_for(secret_files: Path) -> None:
    name = "帳" * 90  # 270 bytes escaped three times over
    assert read_secret_file(name) is None
    assert "too long to be a file name" in how_to_give(name)


# -- the order: keychain, then files ----------------------------------------------------


def test_the_keychain_wins_when_it_has_the_secret(memory_keyring, secret_files: Path) -> None:
    (secret_files / "office-smtp").write_text("from the file\n")
    set_secret("office-smtp", "from the keychain")
    assert get_secret("office-smtp") == "from the keychain"
    delete_secret("office-smtp")
    assert get_secret("office-smtp") == "from the file"  # a desktop may use files too


def test_without_a_keychain_files_give_the_secret(no_keychain: None, credentials: Path) -> None:
    (credentials / "office-smtp").write_text("pa55\n")
    assert get_secret("office-smtp") == "pa55"


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring, BrokenKeyring])
def test_every_kind_of_missing_keychain_reads_files(backend: type[KeyringBackend],
                                                    secret_files: Path) -> None:
    keyring.set_keyring(backend())
    (secret_files / "office-smtp").write_text("pa55\n")
    assert get_secret("office-smtp") == "pa55"


def test_no_keychain_and_no_file_names_the_files_to_make(no_keychain: None,
                                                         credentials: Path,
                                                         secret_files: Path) -> None:
    with pytest.raises(KeychainUnavailable) as caught:
        get_secret("office mail")
    message = caught.value.message
    assert "this computer has no keychain" in message
    assert str(credentials / "office%20mail") in message
    assert str(secret_files / "office%20mail") in message
    assert "LoadCredential=office%%20mail:" in message


def test_a_failing_keychain_says_why_and_still_names_the_file(secret_files: Path) -> None:
    keyring.set_keyring(BrokenKeyring())
    assert keychain_available()  # it looks real until asked
    with pytest.raises(KeychainUnavailable) as caught:
        get_secret("office-smtp")
    assert "the keychain could not be read (no D-Bus session)" in caught.value.message
    assert str(secret_files / "office-smtp") in caught.value.message


def test_a_working_keychain_without_the_secret_points_to_the_command(memory_keyring) -> None:
    with pytest.raises(SecretMissing) as caught:
        get_secret("office-smtp")
    assert "Enter it again in Bellhop" in caught.value.message
    with headless_wording(), pytest.raises(SecretMissing) as caught:
        get_secret("office-smtp")
    assert "Bellhop" not in caught.value.message.replace("bellhop secret set", "")
    assert caught.value.message.endswith("Save it with: bellhop secret set office-smtp")


# -- never written ----------------------------------------------------------------------


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring])
def test_without_a_keychain_nothing_is_saved_anywhere(backend: type[KeyringBackend],
                                                      secret_files: Path, home: Path) -> None:
    keyring.set_keyring(backend())  # null would swallow it and say nothing
    assert not keychain_available()
    with pytest.raises(KeychainUnavailable):
        set_secret("office-smtp", "pa55")
    with pytest.raises(KeychainUnavailable):
        delete_secret("office-smtp")
    assert list(secret_files.iterdir()) == [] and list(home.iterdir()) == []


def test_how_to_save_is_the_command_or_the_file(memory_keyring) -> None:
    assert how_to_save("ngrok") == "Save it with: bellhop secret set ngrok"
    keyring.set_keyring(fail.Keyring())
    assert how_to_save("ngrok") == how_to_give("ngrok")


def test_cannot_save_names_the_file_and_one_already_there(no_keychain: None,
                                                          secret_files: Path) -> None:
    message = cannot_save_message("office-smtp")
    assert "cannot save 'office-smtp'" in message and "never writes secrets" in message
    assert "LoadCredential=office-smtp:" in message
    assert "already reads" not in message
    (secret_files / "office-smtp").write_text("pa55\n")
    assert (f"Bellhop already reads 'office-smtp' from {secret_files / 'office-smtp'}."
            in cannot_save_message("office-smtp"))
    assert str(secret_files / "office-smtp") in cannot_delete_message("office-smtp")


def test_the_window_asks_the_keychain_itself_never_the_files(secret_files: Path) -> None:
    (secret_files / "bellhop-keychain-check").write_text("a file must not hide it\n")
    keyring.set_keyring(fail.Keyring())
    assert keychain_problem() == no_keychain_message()
    keyring.set_keyring(BrokenKeyring())
    assert keychain_problem() == "The keychain could not be read: no D-Bus session"


def test_a_working_keychain_has_no_problem(memory_keyring) -> None:
    assert keychain_problem() is None


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
@pytest.mark.parametrize("name", ["office-smtp", "office mail", "辦公室", "50%", ".hidden"])
def test_systemd_takes_the_unit_line_bellhop_prints(tmp_path: Path, name: str) -> None:
    credential = unit_credential(name)
    line = f"LoadCredential={credential}:/etc/credstore/{credential}"
    assert line in how_to_give(name)
    unit = tmp_path / "bellhop-check.service"
    unit.write_text(f"[Unit]\nDescription=check\n\n[Service]\nExecStart=/bin/true\n{line}\n",
                    encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
