"""The Activity page's words without a window: one-line summaries and 'Copy as curl'."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from bellhop.ui.activity.curl import curl_command, shell_quote
from bellhop.ui.activity.summaries import money, person, summarize
from support.records import make_event

SAMPLES = Path(__file__).parents[2] / "resources" / "samples"


def load_sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def summary_of(raw: bytes, content_type: str = "application/json", limit: int = 4096) -> str:
    return summarize(raw[:limit], len(raw), content_type)


def test_shopify_order_is_number_amount_and_buyer() -> None:
    assert summary_of(load_sample("shopify_order_create.json")) == "#1042 · NT$1,640 · 林美玲"


def test_a_long_shopify_order_is_summarised_from_its_first_bytes() -> None:
    order = json.loads(load_sample("shopify_order_create.json"))
    order.pop("shipping_address")
    order["line_items"] = order["line_items"] * 200  # far past the prefix
    raw = json.dumps(order, ensure_ascii=False).encode()
    assert len(raw) > 4096
    assert summary_of(raw) == "#1042 · NT$1,640 · 林美玲"


@pytest.mark.parametrize(("sample", "expected"), [
    ("stripe_payment_succeeded.json", "payment_intent.succeeded · NT$1,640 · Order #1042"),
    ("github_push.json", "tea-house-tw/shop-site · 更新首頁橫幅 · chen-dev"),
    ("line_message_event.json", "營業時間"),
    ("surveycake_answers.json", "姓名: 王小明 · 電子郵件: ming@example.com · 整體滿意度: 非常滿意"),
])
def test_known_services(sample: str, expected: str) -> None:
    assert summary_of(load_sample(sample)) == expected


def test_other_json_shows_the_first_values_nearest_the_top() -> None:
    raw = json.dumps({"event": "stock_low", "data": {"sku": "CUP-01", "left": 3},
                      "tags": ["a"], "note": ""}).encode()
    assert summary_of(raw) == "event: stock_low · sku: CUP-01 · left: 3"


def test_forms_text_and_odd_bodies() -> None:
    form = f"name={quote_plus('張小華')}&email=hua%40example.com&phone=0922333444&x=1".encode()
    assert summary_of(form, "application/x-www-form-urlencoded") == (
        "name: 張小華 · email: hua@example.com · phone: 0922333444")
    assert summary_of(b"\n\n  hello there  \nsecond line", "text/plain") == "hello there"
    assert summary_of(b'{"broken": ', "application/json") == ""
    assert summary_of(b"", "application/json") == ""
    long_value = json.dumps({"note": "字" * 100}).encode()
    assert summary_of(long_value).endswith("…") and len(summary_of(long_value)) <= 50


def test_money_and_names() -> None:
    assert money("1280.00", "TWD") == "NT$1,280"
    assert money("12.5", "usd") == "US$12.50"
    assert money(164000, "twd", minor_units=True) == "NT$1,640"
    assert money(500, "JPY", minor_units=True) == "¥500"
    assert money("9", "XYZ") == "9 XYZ"
    assert person("美玲", "林") == "林美玲" and person("Mei", "Lin") == "Mei Lin"


def test_curl_keeps_content_type_and_signature_but_not_delivery_ids() -> None:
    headers = {"content-type": "application/json", "x-shopify-hmac-sha256": "abc=",
               "x-shopify-webhook-id": "b545", "user-agent": "Shopify", "x-token": "t0k"}
    body = '{"name": "#1042", "note": "it\'s 王小明"}'.encode()
    command = curl_command(make_event(body, headers=headers, query={"a": "1"}),
                           "http://127.0.0.1:8765/hooks/TOKEN", ["X-Token"])
    words = shlex.split(command.replace("\\\n", " "))
    assert words[:4] == ["curl", "-X", "POST", "http://127.0.0.1:8765/hooks/TOKEN?a=1"]
    assert "Content-Type: application/json" in words
    assert "X-Shopify-Hmac-Sha256: abc=" in words and "X-Token: t0k" in words
    assert not any("Webhook-Id" in word or "User-Agent" in word for word in words)
    assert words[-2:] == ["--data-binary", body.decode()]


def test_shell_quoting_survives_a_real_shell() -> None:
    for text in ("plain", "it's", 'a "b" $HOME `x` \\', "line\nbreak", "tab\tend", "\x01ctl"):
        out = subprocess.run(["bash", "-c", f"printf %s {shell_quote(text)}"],
                             capture_output=True, check=True).stdout.decode()
        assert out == text


def test_bodies_that_are_not_utf8_keep_every_byte() -> None:
    raw = bytes(range(256)) + "王".encode()
    command = curl_command(make_event(raw), "http://h/hooks/t")
    writer, curl = command.split(" | ", 1)
    assert curl.startswith("curl -X POST 'http://h/hooks/t'") and curl.endswith("@-")
    for shell in ("bash", "sh"):
        out = subprocess.run([shell, "-c", writer], capture_output=True, check=True).stdout
        assert out == raw, shell


def test_curl_leaves_out_hidden_credentials_and_says_so_in_a_comment_line() -> None:
    headers = {"content-type": "application/json", "authorization": "(hidden)",
               "x-token": "(hidden)", "x-shopify-hmac-sha256": "abc=", "cookie": "(hidden)"}
    command = curl_command(make_event(b'{"a": 1}', headers=headers), "http://h/hooks/t",
                           ["X-Token"])
    note, rest = command.split("\n", 1)
    assert note.startswith("# ") and "Authorization, X-Token" in note and "Cookie" not in note
    assert "(hidden)" not in rest and "Authorization" not in rest and "X-Token" not in rest
    for shell in ("bash", "sh"):  # the comment line does not change what curl is given
        script = 'curl() { printf "%s\\n" "$@"; }\n' + command
        out = subprocess.run([shell, "-c", script], capture_output=True, check=True,
                             text=True).stdout.splitlines()
        assert out == ["-X", "POST", "http://h/hooks/t", "-H", "Content-Type: application/json",
                       "-H", "X-Shopify-Hmac-Sha256: abc=", "--data-binary", '{"a": 1}'], shell
    assert not curl_command(make_event(b"{}", headers={"x-token": "t0k"}), "http://h/hooks/t",
                            ["X-Token"]).startswith("#")
