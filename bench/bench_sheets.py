"""Appending rows to Google Sheets: the whole card path vs a bare aiohttp POST, side by side.

Both talk to the fake Google (real HTTP on 127.0.0.1, in its own process pinned to
the other core, with its append race window set to 0). Measured in alternating
rounds, so drift hits both alike:

* card: `append_sheet`'s `run` — render the columns, spreadsheet lock, header row
  (cached after the first), cached service-account token, `values.append` over aiohttp,
  parse the answer;
* bare: one `values.append` POST of the same row with a ready bearer token.

The card's quota budget is set out of reach: this measures an append's cost, and
bench_flash_sale.py measures the quota.

Sequential appends (the card serializes appends to one spreadsheet anyway):
median and p99 latency, appends per second, and the card / bare ratios.

    .venv/bin/python bench/bench_sheets.py [--appends 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import keyring

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "desktop"))
sys.path.insert(0, str(BENCH.parent / "tests"))

from bellhop.actions.append_sheet import ACTION, AppendSheetConfig  # noqa: E402
from bellhop.core.services.google import service_account_entry, tokens_of  # noqa: E402
from bellhop.core.services.sheets import Quotas, a1  # noqa: E402
from bellhop.core.stepcontext import Services, StepContext  # noqa: E402
from bellhop.core.templating import make_context  # noqa: E402
from fakes.fake_google import FakeGoogle  # noqa: E402
from memory_keyring import MemoryKeyring  # noqa: E402

ROBOT = "bench@bench.iam.gserviceaccount.com"
SHEET = "1BenchSheet_0123456789abcdefghijklmnopqrstu"
HEADER = ["Order", "Date", "Phone", "City", "Total"]
EVENT = {"body": {"name": "#1042", "total_price": "1640.00", "phone": "0912345678",
                  "city": "台北市"},
         "query": {}, "headers": {}, "method": "POST", "received_at": "2026-11-28T14:05:31+08:00",
         "event_id": "ev_bench", "rule": "bench", "steps": {}}


def serve_fake(conn: Any) -> None:
    """The fake Google in a child process: sends (url, key), serves until told to stop."""
    if hasattr(os, "sched_setaffinity") and os.cpu_count() and os.cpu_count() > 1:
        os.sched_setaffinity(0, {1})
    with FakeGoogle(append_delay=0.0) as fake:
        key = fake.add_service_account(ROBOT)
        fake.add_spreadsheet(SHEET, {"Orders": [list(HEADER)]}, {ROBOT})
        conn.send((fake.url, key))
        conn.recv()
        conn.send(len(fake.rows(SHEET, "Orders")) - 1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def card_round(ctx: StepContext, config: AppendSheetConfig, n: int) -> list[float]:
    took = []
    for _ in range(n):
        began = time.perf_counter()
        await ACTION.run(ctx, config)
        took.append(time.perf_counter() - began)
    return took


async def bare_round(http: aiohttp.ClientSession, url: str, token: str, n: int) -> list[float]:
    target = a1("Orders", "A1:E1")
    body = {"range": target, "majorDimension": "ROWS",
            "values": [["#1042", None, "0912345678", "台北市", "1640.00"]]}
    params = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"}
    endpoint = f"{url}/v4/spreadsheets/{SHEET}/values/{target}:append"
    took = []
    for _ in range(n):
        began = time.perf_counter()
        async with http.post(endpoint, params=params, json=body,
                             headers={"Authorization": f"Bearer {token}"}) as answer:
            data = await answer.json()
            assert answer.status == 200, data
        took.append(time.perf_counter() - began)
    return took


async def main(appends: int, rounds: int) -> None:
    keyring.set_keyring(MemoryKeyring())
    if hasattr(os, "sched_setaffinity") and os.cpu_count() and os.cpu_count() > 1:
        os.sched_setaffinity(0, {0})
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(target=serve_fake, args=(theirs,))
    child.start()
    url, key = ours.recv()
    with tempfile.TemporaryDirectory() as home:
        keyring.set_password("bellhop", "google", json.dumps(key))
        account = service_account_entry(key, api_base=url)
        config = AppendSheetConfig.model_validate({
            "type": "append_sheet", "account": "google", "spreadsheet": SHEET,
            "sheet": "Orders", "values": "text",
            "columns": {"Order": "{{ body.name }}", "Phone": "{{ body.phone }}",
                        "City": "{{ body.city }}", "Total": "{{ body.total_price }}"}})
        async with aiohttp.ClientSession() as http:
            services = Services(home=Path(home), accounts=lambda: {"google": account},
                                http=http)
            # The cost of one append, not Google's quota: a budget no round reaches (as a
            # Workspace project's raised quota in settings.json would be). Under the
            # default 60 writes a minute the rounds would take half an hour.
            services.shared["sheets.quotas"] = Quotas(10**9, 10**9)
            ctx = StepContext(services, values=make_context(EVENT), rule_name="bench",
                              event_id="ev_bench", step_index=1, step_label="bench")
            await card_round(ctx, config, 20)  # warm up: token, header, connections
            token = await tokens_of(services.shared).token("google", account)
            await bare_round(http, url, token, 20)
            card: list[float] = []
            bare: list[float] = []
            for _ in range(rounds):
                card += await card_round(ctx, config, appends)
                bare += await bare_round(http, url, token, appends)
    ours.send("stop")
    stored = ours.recv()
    child.join(10)
    for name, values in (("bare aiohttp POST", bare), ("append_sheet card", card)):
        print(f"{name:>18}: median {statistics.median(values) * 1000:.2f} ms, "
              f"p99 {percentile(values, 0.99) * 1000:.2f} ms, "
              f"{len(values) / sum(values):.0f} appends/s ({len(values)} appends)")
    print(f"card / bare: median latency ×{statistics.median(card) / statistics.median(bare):.2f}, "
          f"p99 ×{percentile(card, 0.99) / percentile(bare, 0.99):.2f}, "
          f"throughput ×{(len(card) / sum(card)) / (len(bare) / sum(bare)):.2f}")
    print(f"rows in the fake sheet: {stored} (expected {2 * (20 + appends * rounds)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.appends, args.rounds))
