"""Sizes in words a person reads, in each language: never '961 byte' in the Chinese window."""

from __future__ import annotations

import pytest

from bellhop.core.i18n import data_size, set_language


@pytest.fixture
def chinese() -> object:
    set_language("zh_TW")
    yield
    set_language("en")


@pytest.mark.parametrize(("size", "words"), [
    (0, "0 bytes"), (1, "1 byte"), (961, "961 bytes"), (1023, "1023 bytes"),
    (1024, "1 KB"), (1536, "1.5 KB"), (150 * 1024, "150 KB"), (1_500_000, "1.4 MB"),
    (3 * 1024**3, "3 GB"), (5000 * 1024**3, "5,000 GB"),
])
def test_sizes_in_english_say_byte_or_bytes(size: int, words: str) -> None:
    assert data_size(size) == words


@pytest.mark.usefixtures("chinese")
def test_sizes_in_chinese_say_bytes_in_chinese() -> None:
    assert data_size(1) == "1 位元組"
    assert data_size(961) == "961 位元組"
    assert data_size(1536) == "1.5 KB"
