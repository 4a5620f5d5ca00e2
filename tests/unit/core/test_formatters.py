"""The formatters people pick from a chip's menu: phone numbers, rounding half up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bellhop.core.templating import make_context, render
from bellhop.core.templating.formatters import money_filter, number_filter, phone_filter
from support.sandbox import sandbox_built_now


@pytest.fixture(autouse=True)
def _sandbox_built_now() -> Iterator[None]:
    with sandbox_built_now():
        yield


@pytest.mark.parametrize(("given", "shown"), [
    ("0912345678", "0912-345-678"),
    ("+886912345678", "0912-345-678"),
    ("886-912-345-678", "0912-345-678"),
    ("0912 345 678", "0912-345-678"),
    ("0912-345-678", "0912-345-678"),
    ("+886 (0)912 345 678", "0912-345-678"),
    (912345678, "0912-345-678"),  # a mobile number a spreadsheet kept as a number
    ("0223456789", "02-2345-6789"),
    ("+886 2 2345 6789", "02-2345-6789"),
    ("(02)2345-6789", "02-2345-6789"),
    ("886223456789", "02-2345-6789"),
    ("0423456789", "04-2345-6789"),  # Taichung
    ("047123456", "04-712-3456"),  # Changhua
    ("0492345678", "049-234-5678"),  # Nantou
    ("037123456", "037-123-456"),  # Miaoli
    ("035123456", "03-512-3456"),  # Hsinchu
    ("072345678", "07-234-5678"),  # Kaohsiung
    ("089123456", "089-123-456"),  # Taitung
    ("082312345", "082-312-345"),  # Kinmen
    ("0836 22345", "0836-22-345"),  # Matsu
    ("0800-123-456", "0800-123-456"),
])
def test_phone_writes_taiwan_numbers_the_usual_way(given: object, shown: str) -> None:
    assert phone_filter(given) == shown
    assert render("{{ body.phone | phone }}", make_context({"body": {"phone": given}})) == shown


@pytest.mark.parametrize("given", [
    "+1 415 555 0100",  # another country's
    "+81 3-1234-5678",
    "0912-345-678 #12",  # an extension
    "12345",
    "091234567",  # a digit short
    "09123456789",  # a digit too many
    "電話：0912345678",
    "０９１２３４５６７８",  # full-width digits: left for a person to read
    "",
    "   ",
    True,
    12.5,
    ["0912345678"],
])
def test_phone_gives_back_what_it_cannot_read(given: object) -> None:
    assert phone_filter(given) == given


def test_phone_in_a_template_never_fails_a_step() -> None:
    values = make_context({"body": {"a": "+1 415 555 0100", "b": None, "c": {"x": 1}}})
    assert render("{{ body.a | phone }}|{{ body.b | phone }}|{{ body.missing | phone }}",
                  values) == "+1 415 555 0100||"


@pytest.mark.parametrize(("value", "symbol", "decimals", "shown"), [
    ("1640.5", "NT$", 0, "NT$1,641"),
    (1640.5, "NT$", 0, "NT$1,641"),
    ("1641.5", "NT$", 0, "NT$1,642"),
    ("2.345", "", 2, "2.35"),
    (2.345, "$", 2, "$2.35"),  # the float's text, not its binary value, is rounded
    ("2.335", "", 2, "2.34"),
    ("0.5", "NT$", 0, "NT$1"),
    ("-1640.5", "NT$", 0, "-NT$1,641"),  # halves go away from zero, as on a receipt
    ("1640.49", "NT$", 0, "NT$1,640"),
    ("1640", "NT$", 0, "NT$1,640"),
    ("1,234,567.125", "", 2, "1,234,567.13"),
    ("1e30", "", 2, "1,000,000,000,000,000,000,000,000,000,000.00"),
])
def test_money_rounds_half_up(value: object, symbol: str, decimals: int, shown: str) -> None:
    assert money_filter(value, symbol, decimals) == shown


def test_money_in_cents_rounds_half_up_too() -> None:
    assert money_filter(164050, "NT$", 0, cents=True) == "NT$1,641"
    assert money_filter("12345", "$", cents=True) == "$123.45"
    assert money_filter(5, "$", 1, cents=True) == "$0.1"  # 0.05 → 0.1


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    ("2.5", 0, "3"), ("3.5", 0, "4"), ("-2.5", 0, "-3"), ("1234.565", 2, "1,234.57"),
    ("1234567.5", None, "1,234,567.5"), ("0.125", 2, "0.13"), ("7", 2, "7.00"),
])
def test_number_rounds_half_up(value: str, decimals: int | None, shown: str) -> None:
    assert number_filter(value, decimals) == shown
