"""SurveyCake answers: fetched from a fake SurveyCake, decrypted as SurveyCake encrypts them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import keyring
import pytest

from bellhop.actions.surveycake import (
    ACTION,
    SurveyCakeConfig,
    answers_body,
    decrypt_answers,
    query_url,
    unpad,
)
from bellhop.core.errors import PermanentError, TransientError
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.templating import render
from fakes.fake_surveycake import HASH_KEY, IV_KEY, FakeSurveyCake, encrypt
from helpers import sample_json

ANSWERS = sample_json("surveycake_answers.json")


@pytest.fixture
def surveycake() -> Iterator[FakeSurveyCake]:
    with FakeSurveyCake() as fake:
        fake.add("8aB3kQ", "5f0c8e1d2a7b4c9e", ANSWERS)
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def context(http: aiohttp.ClientSession, tmp_path: Path, body: dict,
            test_run: bool = False) -> StepContext:
    values = {"body": body, "query": {}, "headers": {}, "method": "POST",
              "received_at": "2026-11-28T14:20:06+08:00", "event_id": "ev1", "rule": "r",
              "steps": {}}
    return StepContext(Services(home=tmp_path, accounts=dict, http=http), values, "r", "ev1",
                       0, "Get the SurveyCake answers", test_run=test_run)


def card(fake: FakeSurveyCake) -> SurveyCakeConfig:
    return SurveyCakeConfig(domain=fake.base, hash_key="sc-hash", iv_key="sc-iv")


def keys() -> None:
    keyring.set_password("bellhop", "sc-hash", HASH_KEY)
    keyring.set_password("bellhop", "sc-iv", IV_KEY)


def test_decrypts_what_surveycake_encrypts() -> None:
    assert decrypt_answers(encrypt(ANSWERS).encode(), HASH_KEY, IV_KEY) == ANSWERS
    assert unpad(b"abc\0\0\0") == b"abc" and unpad(b"abc" + b"\x0d" * 13) == b"abc"
    assert query_url("www.surveycake.com", "a", "b") == \
        "https://www.surveycake.com/webhook/v0/a/b"


def test_answers_by_subject_and_number() -> None:
    body = answers_body({**ANSWERS, "result": [*ANSWERS["result"], {
        "subject": "喜歡的茶", "type": "CHOICEMULTI", "sn": 5, "answer": ["烏龍", "紅茶"]}]})
    assert body["answers"]["姓名"] == "王小明" and body["answers"]["1"] == "王小明"
    assert body["answers"]["喜歡的茶"] == "烏龍, 紅茶"
    assert render('{{ body.answers["電子郵件"] }} / {{ body.answers.2 }} / {{ body.title }}',
                  {"body": body}) == "ming@example.com / ming@example.com / 門市滿意度調查"


async def test_fetch_and_decrypt(surveycake: FakeSurveyCake, http: aiohttp.ClientSession,
                                 tmp_path: Path) -> None:
    keys()
    out = await ACTION.run(context(http, tmp_path, {"svid": "8aB3kQ",
                                                    "hash": "5f0c8e1d2a7b4c9e"}),
                           card(surveycake))
    assert out["fetched"] is True
    assert out["body"]["answers"]["整體滿意度"] == "非常滿意"
    assert surveycake.requests[-1].path == "/webhook/v0/8aB3kQ/5f0c8e1d2a7b4c9e"


async def test_wrong_keys_and_unknown_response_are_plain(
        surveycake: FakeSurveyCake, http: aiohttp.ClientSession, tmp_path: Path) -> None:
    keyring.set_password("bellhop", "sc-hash", "0123456789abcdef")
    keyring.set_password("bellhop", "sc-iv", IV_KEY)
    body = {"svid": "8aB3kQ", "hash": "5f0c8e1d2a7b4c9e"}
    with pytest.raises(PermanentError, match="could not be decrypted"):
        await ACTION.run(context(http, tmp_path, body), card(surveycake))
    keyring.set_password("bellhop", "sc-hash", "short")
    with pytest.raises(PermanentError, match="16 characters long"):
        await ACTION.run(context(http, tmp_path, body), card(surveycake))
    keys()
    with pytest.raises(PermanentError, match=r"did not give the answers \(404\)"):
        await ACTION.run(context(http, tmp_path, {"svid": "8aB3kQ", "hash": "ffff"}),
                         card(surveycake))
    with pytest.raises(PermanentError, match="not from SurveyCake"):
        await ACTION.run(context(http, tmp_path, {"svid": "../x", "hash": "1"}),
                         card(surveycake))


async def test_busy_surveycake_is_transient(surveycake: FakeSurveyCake,
                                            http: aiohttp.ClientSession, tmp_path: Path) -> None:
    keys()
    surveycake.busy_for = 1
    body = {"svid": "8aB3kQ", "hash": "5f0c8e1d2a7b4c9e"}
    with pytest.raises(TransientError, match="busy"):
        await ACTION.run(context(http, tmp_path, body), card(surveycake))
    out = await ACTION.run(context(http, tmp_path, body), card(surveycake))
    assert out["body"]["answers"]["建議"] == "希望週日也營業"


async def test_a_test_run_uses_answers_already_in_the_sample(
        http: aiohttp.ClientSession, tmp_path: Path) -> None:
    config = SurveyCakeConfig(domain="http://127.0.0.1:9", hash_key="x", iv_key="y")
    sample = {"svid": "8aB3kQ", "hash": "5f0c8e1d2a7b4c9e", **ANSWERS}
    out = await ACTION.run(context(http, tmp_path, sample, test_run=True), config)
    assert out["fetched"] is False and out["body"]["answers"]["姓名"] == "王小明"
    with pytest.raises(PermanentError):  # a real delivery never skips the fetch
        await ACTION.run(context(http, tmp_path, sample), config)


async def test_the_result_reads_as_a_sentence(
        surveycake: FakeSurveyCake, http: aiohttp.ClientSession, tmp_path: Path) -> None:
    keys()
    body = {"svid": "8aB3kQ", "hash": "5f0c8e1d2a7b4c9e"}
    out = await ACTION.run(context(http, tmp_path, body), card(surveycake))
    count = len(ANSWERS["result"])
    assert ACTION.describe_result(out, {}) == f"Got {count} answers from SurveyCake"
    sample = {**body, **ANSWERS}
    out = await ACTION.run(context(http, tmp_path, sample, test_run=True), card(surveycake))
    assert ACTION.describe_result(out, {}) == \
        f"Used the {count} answers in the sample (a test fetches nothing)"
    one = {**body, **ANSWERS, "result": ANSWERS["result"][:1]}
    out = await ACTION.run(context(http, tmp_path, one, test_run=True), card(surveycake))
    assert ACTION.describe_result(out, {}) == \
        "Used the 1 answer in the sample (a test fetches nothing)"
