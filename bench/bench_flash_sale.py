"""A flash sale after the answer: Google Sheets, email and files within their limits, each
figure beside a baseline run in the same session (issue 21).

* sheets: 600 orders posted to a rule that appends to Google Sheets (real HTTP to the
  real receiver, in-process `Bellhop`), the fake Google enforcing 60 writes and 60 reads
  per window with 429s. Baseline: the same run with every row its own write
  (`Destination.max_batch = 1`). At Google's real 60-second window the baseline takes
  about 10 minutes, so the pair is run time-scaled (a 6 s window, the orders posted
  within 3 s) and the ratio comes from it;
* realtime: the batched run at the real window (60 s, settings.json defaults), 600
  orders within 30 s, its absolute figures against the targets (< 90 s, ≤ 60 writes in
  any 60 s);
* email: 1,000 posts to a rule whose step is `send_email`, `bellhop serve` in its own
  process, aiosmtpd in another counting connections and stamping each message's DATA;
  baseline: one aiosmtplib connection sending the same 1,000 messages in a loop (and, for
  reference, the same loop building its messages with the card's policy); with
  --email-base, main's `bellhop serve` gets the same burst after each of this tree's;
* files: the `append_file` card, a steady stream of CSV appends to files holding 1,000
  and 100,000 rows (and the code on main for comparison), and 1,000 xlsx rows arriving
  together into a 20,000-row workbook against one load and save per row;
* serve: `bench/ab_serve.py` with main as A and this tree as B: the answer to the sender.

    .venv/bin/python bench/bench_flash_sale.py [--only sheets,realtime,email,files,serve]
        [--base DIR (a checkout of main; default: `git archive main` into a temp dir)]
        [--email-base (email: main's `bellhop serve` too, round by round)]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import importlib.util
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "desktop"))
sys.path.insert(0, str(REPO / "tests"))

import aiohttp  # noqa: E402
import keyring  # noqa: E402

from procs import Server, ServerSpec, cpu_seconds, serve_argv  # noqa: E402

RESULTS_FILE = BENCH / "results" / "flash_sale.json"
SECTIONS = ("sheets", "realtime", "email", "files", "serve")
ROBOT = "flash@shop-project.iam.gserviceaccount.com"
SHEET = "1FlashSaleSheet_0123456789abcdefghijklmnopq"
TOKEN = "flash-sale-token-0123456789abcdef"
RESULTS: dict[str, Any] = {}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def say(text: str) -> None:
    print(text, flush=True)


# --- Google Sheets -------------------------------------------------------------------------


def sheet_rule() -> dict[str, Any]:
    return {"id": "sale", "name": "Flash sale", "enabled": True,
            "trigger": {"type": "webhook", "token": TOKEN, "methods": ["POST"]},
            "steps": [{"type": "append_sheet", "account": "google", "spreadsheet": SHEET,
                       "sheet": "Orders", "values": "text",
                       "columns": {"Order": "{{ body.name }}", "Phone": "{{ body.phone }}",
                                   "Total": "{{ body.total_price }}"}}]}


async def post_paced(url: str, count: int, spread: float) -> float:
    """POST `count` orders one after the other, order n at n × spread / count seconds;
    the seconds the posting took."""
    began = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        for n in range(count):
            delay = began + n * spread / count - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            body = {"name": f"#{n}", "phone": "0912345678", "total_price": "1640.00"}
            async with http.post(url, json=body) as answer:
                assert 200 <= answer.status < 300, answer.status
    return time.perf_counter() - began


async def sheets_run(count: int, spread: float, window: float, batched: bool) -> dict[str, Any]:
    """One flash sale into the fake sheet; what Google saw."""
    from bellhop.core.platform import paths
    from bellhop.core.platform.accounts import save_accounts
    from bellhop.core.platform.jsonfile import write_json_atomic
    from bellhop.core.platform.secrets import set_secret
    from bellhop.core.running.rules import save_rules
    from bellhop.core.services import pacing
    from bellhop.core.services.google import service_account_entry
    from bellhop.core.services.sheets import Quotas
    from bellhop.service import Bellhop
    from fakes.fake_google import FakeGoogle

    class OneRowAWrite(pacing.Destinations):
        """The baseline: every row its own write (what Bellhop did before issue 21)."""

        def get(self, name: str) -> pacing.Destination:
            found = super().get(name)
            found.max_batch = 1
            return found

    with tempfile.TemporaryDirectory(prefix="flash-sheets-") as tmp, \
            FakeGoogle(write_quota=60, read_quota=60, quota_window=window) as fake:
        home = Path(tmp)
        key = fake.add_service_account(ROBOT)
        set_secret("google", json.dumps(key))
        fake.add_spreadsheet(SHEET, {"Orders": [["Order", "Phone", "Total"]]}, {ROBOT})
        save_accounts(paths.accounts_file(home),
                      {"google": service_account_entry(key, api_base=fake.url)})
        save_rules(paths.rules_file(home), [sheet_rule()])
        write_json_atomic(paths.settings_file(home), {  # Google's own numbers, as shipped
            "google_writes_per_minute": 60, "google_reads_per_minute": 60})
        app = Bellhop(home)
        await app.start("127.0.0.1", 0)
        try:
            assert app.services is not None and app.engine is not None
            if window != 60.0:  # time-scaled: the same 60 requests in a shorter window
                app.services.shared["sheets.quotas"] = Quotas(60, 60, window)
            if not batched:
                app.services.destinations = OneRowAWrite()
            tab = fake.spreadsheets[SHEET].tabs["Orders"]
            began = time.perf_counter()
            posting = asyncio.create_task(post_paced(app.hook_url(app.engine.rules[0]),
                                                     count, spread))
            limit = began + max(30 * window, 4 * spread)
            while len(tab) < count + 1 and time.perf_counter() < limit:
                await asyncio.sleep(0.02)
            took = time.perf_counter() - began
            posted_in = await posting
        finally:
            await app.stop()
        orders = [row[0] for row in fake.rows(SHEET, "Orders")[1:]]
        return {
            "rows": len(orders), "seconds": took, "posted_in": posted_in,
            "in_order": orders == [f"#{n}" for n in range(count)],
            "most_writes": fake.most_in_window(write=True),
            "most_reads": fake.most_in_window(write=False),
            "refused_429": fake.refused_for_quota,
            "appends": sum(1 for c in fake.calls if c["path"].endswith(":append")),
            "reads": sum(1 for c in fake.calls if c["method"] == "GET"),
        }


def show_sheets(label: str, got: dict[str, Any], window: float) -> None:
    say(f"{label:>28}: {got['rows']} rows in {got['seconds']:6.1f} s "
        f"(posted in {got['posted_in']:.1f} s), in posting order: {got['in_order']}, "
        f"most writes in any {window:g} s: {got['most_writes']} (reads {got['most_reads']}), "
        f"429s: {got['refused_429']}, appends: {got['appends']}, reads: {got['reads']}")


def sheets_scaled(count: int, window: float, spread: float) -> None:
    say(f"\n== Sheets, time-scaled: {count} orders within {spread:g} s, "
        f"60 writes / 60 reads per {window:g} s")
    base = asyncio.run(sheets_run(count, spread, window, batched=False))
    show_sheets("one row a write (baseline)", base, window)
    ours = asyncio.run(sheets_run(count, spread, window, batched=True))
    show_sheets("Bellhop, rows batched", ours, window)
    say(f"  batched ÷ one row a write: time ×{ours['seconds'] / base['seconds']:.3f}, "
        f"appends ×{ours['appends'] / max(1, base['appends']):.3f}; in windows of the quota: "
        f"{base['seconds'] / window:.1f} against {ours['seconds'] / window:.1f}")
    RESULTS["sheets_scaled"] = {"window": window, "spread": spread, "baseline": base,
                                "bellhop": ours}


def sheets_realtime(count: int, spread: float) -> None:
    say(f"\n== Sheets, real time: {count} orders within {spread:g} s, "
        "60 writes / 60 reads per 60 s (settings.json)")
    ours = asyncio.run(sheets_run(count, spread, 60.0, batched=True))
    show_sheets("Bellhop, rows batched", ours, 60.0)
    met = (ours["rows"] == count and ours["in_order"] and ours["seconds"] < 90
           and ours["most_writes"] <= 60)
    say(f"  target: all {count} rows, in posting order, < 90 s, ≤ 60 writes in any 60 s — "
        f"{'met' if met else 'MISSED'}")
    RESULTS["sheets_realtime"] = {"spread": spread, "bellhop": ours, "met": met}


# --- email -----------------------------------------------------------------------------------


def serve_smtp(conn: Any) -> None:
    """aiosmtpd in a child process: counts connections, stamps each message's DATA with
    time.monotonic() (one clock for every process on Linux) by its order number."""
    from aiosmtpd.controller import Controller

    from support.ports import free_port

    subject = re.compile(rb"^Subject: Order #(\d+)", re.MULTILINE)

    class Inbox:
        def __init__(self) -> None:
            self.sessions = 0
            self.accepted: dict[int, float] = {}

        async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                              responses: list[str]) -> list[str]:
            self.sessions += 1
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            found = subject.search(envelope.content)
            if found:
                self.accepted[int(found.group(1))] = time.monotonic()
            return "250 Message accepted"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    conn.send(controller.port)
    while (command := conn.recv()) != "stop":
        if command == "count":
            conn.send(len(inbox.accepted))
        elif command == "take":  # what was seen since the last take, and start again
            conn.send((inbox.sessions, dict(inbox.accepted)))
            inbox.sessions, inbox.accepted = 0, {}
    controller.stop()


class Smtp:
    """The SMTP child process."""

    def __init__(self) -> None:
        self.conn, theirs = multiprocessing.Pipe()
        self.proc = multiprocessing.get_context("spawn").Process(target=serve_smtp,
                                                                 args=(theirs,))
        self.proc.start()
        self.port: int = self.conn.recv()

    def ask(self, command: str) -> Any:
        self.conn.send(command)
        return self.conn.recv()

    def wait_for(self, count: int, limit: float) -> None:
        deadline = time.monotonic() + limit
        while self.ask("count") < count and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        self.conn.send("stop")
        self.proc.join(10)


def message(n: int, policy: Any = None) -> EmailMessage:
    mail = EmailMessage(policy=policy) if policy is not None else EmailMessage()
    mail["From"] = "shop@example.com"
    mail["To"] = "warehouse@example.com"
    mail["Subject"] = f"Order #{n}"
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain="example.com")
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(f"Order #{n}: 2 × Oolong tea, NT$1,640. Please pack today.\n")
    return mail


async def card_burst(port: int, count: int, card: Any = None, at_once: int = 0) -> float:
    """`count` runs of the send_email card at once (at most `at_once` when not 0), in this
    process, as the engine would call them: the card's own work and its connections,
    without receiver or store. `card`: another version of the card's module."""
    from bellhop.actions import send_email
    from bellhop.core.services.smtp import connections_of

    card = card or send_email
    accounts = {"office": {"kind": "smtp", "host": "127.0.0.1", "port": port,
                           "security": "none", "username": "", "from": "shop@example.com"}}
    config = card.SendEmailConfig.model_validate(mail_step())
    slots = asyncio.Semaphore(at_once or count)

    async def one(ctx: Any) -> None:
        async with slots:
            await card.run(ctx, config)

    with tempfile.TemporaryDirectory(prefix="flash-card-") as tmp:
        async with aiohttp.ClientSession() as http:
            with card_context(Path(tmp), accounts, http) as ctx:
                began = time.perf_counter()
                await asyncio.gather(*(one(ctx(n)) for n in range(count)))
                took = time.perf_counter() - began
                await connections_of(ctx(0).services.shared).close()
    return took


async def one_connection_loop(port: int, count: int, policy: Any = None) -> float:
    """The baseline: one aiosmtplib connection sending `count` messages in a loop (their
    headers parsed by `policy`, else by the standard policy)."""
    import aiosmtplib

    began = time.perf_counter()
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
    await client.connect()
    for n in range(count):
        await client.send_message(message(n, policy), sender="shop@example.com",
                                  recipients=["warehouse@example.com"])
    await client.quit()
    return time.perf_counter() - began


def mail_home(home: Path, smtp_port: int) -> Path:
    from bellhop.core.platform import paths
    from bellhop.core.platform.accounts import save_accounts
    from bellhop.core.running.rules import save_rules

    home.mkdir(parents=True, exist_ok=True)
    save_accounts(paths.accounts_file(home), {"office": {
        "kind": "smtp", "host": "127.0.0.1", "port": smtp_port, "security": "none",
        "username": "", "from": "shop@example.com"}})
    save_rules(paths.rules_file(home), [{
        "id": "mail", "name": "Mail the warehouse", "enabled": True,
        "trigger": {"type": "webhook", "token": TOKEN, "methods": ["POST"]},
        "steps": [mail_step()]}])
    return home


def mail_step() -> dict[str, Any]:
    return {"type": "send_email", "account": "office", "to": "warehouse@example.com",
            "subject": "Order {{ body.name }}",
            "body": "Order {{ body.name }}: 2 × Oolong tea, NT${{ body.total }}. "
                    "Please pack today."}


async def post_orders(url: str, count: int, senders: int, spread: float) -> dict[int, float]:
    """POST orders #0…#count-1 from `senders` connections (all at once when spread is 0,
    else order n at n × spread / count s); each post's time.monotonic()."""
    sent: dict[int, float] = {}
    numbers = iter(range(count))
    began = time.monotonic()

    async def sender(http: aiohttp.ClientSession) -> None:
        for n in numbers:
            delay = began + n * spread / count - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent[n] = time.monotonic()
            async with http.post(url, json={"name": f"#{n}", "total": "1,640"}) as answer:
                assert 200 <= answer.status < 300, answer.status

    connector = aiohttp.TCPConnector(limit=senders)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(sender(http) for _ in range(senders)))
    return sent


def email(count: int, senders: int, rounds: int, base: Path | None,
          base_serve: bool = False) -> None:
    say(f"\n== Email: {count} messages to aiosmtpd (its own process), {rounds} rounds")
    smtp = Smtp()
    loops: list[float] = []
    totals: list[float] = []
    connections: list[int] = []
    cards: list[float] = []  # the card alone, in this process
    card_connections: list[int] = []
    waits: list[float] = []
    cpu: dict[str, list[float]] = {"loop": [], "bellhop": [], "main": []}  # CPU s a message
    main_totals: list[float] = []  # main's `bellhop serve`, when asked (--email-base)
    kept_loops: list[float] = []  # the loop with the card's policy (headers parsed once)

    def loop() -> None:
        began = time.process_time()
        loops.append(asyncio.run(one_connection_loop(smtp.port, count)))
        cpu["loop"].append((time.process_time() - began) / count)
        smtp.ask("take")

    def spec_of(tree: Path, tmp: str) -> ServerSpec:
        boot = (f"import sys; sys.path.insert(0, {str(tree / 'desktop')!r}); "
                "from bellhop.cli import main; sys.exit(main())")
        return ServerSpec("bellhop", lambda port: serve_argv(
            port, command=[sys.executable, "-c", boot]), need_200=True,
            make_home=lambda home: mail_home(home, smtp.port),
            extra_env={"XDG_CONFIG_HOME": str(Path(tmp) / "config")})

    def burst(srv: Server, cpu_a_message: list[float]) -> tuple[float, int, list[float]]:
        """1,000 posts at once: first post → last accepted, connections, each post's wait."""
        assert srv.proc is not None
        url = f"{srv.url_base}/hooks/{TOKEN}"
        began = cpu_seconds(srv.proc.pid)
        posted = asyncio.run(post_orders(url, count, senders, 0.0))
        smtp.wait_for(count, 300)
        cpu_a_message.append((cpu_seconds(srv.proc.pid) - began) / count)
        sessions, accepted = smtp.ask("take")
        if len(accepted) != count:
            raise SystemExit(f"only {len(accepted)} of {count} messages arrived")
        return (max(accepted.values()) - min(posted.values()), sessions,
                [accepted[n] - posted[n] for n in posted])

    try:
        with tempfile.TemporaryDirectory(prefix="flash-mail-") as tmp, \
                contextlib.ExitStack() as servers:
            srv = servers.enter_context(Server(spec_of(REPO, tmp), Path(tmp) / "serve", None,
                                               REPO))
            srv.wait_ready()
            old_srv = None
            if base_serve and base is not None:
                old_srv = servers.enter_context(Server(spec_of(base, tmp), Path(tmp) / "main",
                                                       None, REPO))
                old_srv.wait_ready()
            url = f"{srv.url_base}/hooks/{TOKEN}"
            loop()
            for _ in range(rounds):  # baseline and Bellhop alternating: drift shows
                cards.append(asyncio.run(card_burst(smtp.port, count)))
                card_connections.append(smtp.ask("take")[0])
                took, sessions, waited = burst(srv, cpu["bellhop"])
                totals.append(took)
                connections.append(sessions)
                waits += waited
                loop()
                if old_srv is not None:  # main's serve, then a loop again: each its own pair
                    main_totals.append(burst(old_srv, cpu["main"])[0])
                    loop()
            from bellhop.core.services.mailheaders import POLICY

            for _ in range(2):
                kept_loops.append(asyncio.run(one_connection_loop(smtp.port, count, POLICY)))
                smtp.ask("take")
            light = asyncio.run(post_orders(url, 200, 1, 10.0))
            smtp.wait_for(200, 60)
            __, light_accepted = smtp.ask("take")
        old = base_card(base, "send_email")
        if old is not None:  # main's card: a connection per message, 4 runs at a time
            before = asyncio.run(card_burst(smtp.port, count, old, at_once=4))
            before_connections = smtp.ask("take")[0]
    finally:
        smtp.stop()
    step = 2 if main_totals else 1  # loops: one after each serve round
    ratios = [total / ((loops[i * step] + loops[i * step + 1]) / 2)
              for i, total in enumerate(totals)]
    main_ratios = [total / ((loops[i * 2 + 1] + loops[i * 2 + 2]) / 2)
                   for i, total in enumerate(main_totals)]
    card_ratios = [took / ((loops[i * step] + loops[i * step + 1]) / 2)
                   for i, took in enumerate(cards)]
    light_waits = [light_accepted[n] - light[n] for n in light if n in light_accepted]
    say(f"  one aiosmtplib connection, loop: {', '.join(f'{s:.2f}' for s in loops)} s")
    say(f"  Bellhop, {count} posts from {senders} connections at once, first post → last "
        f"accepted: {', '.join(f'{s:.2f}' for s in totals)} s; connections opened: "
        f"{', '.join(map(str, connections))} (a connection is kept 10 s after the last message)")
    say(f"  CPU a message: the loop (aiosmtplib client) "
        f"{statistics.median(cpu['loop']) * 1000:.2f} ms, bellhop serve (receiver, engine, "
        f"store, mail) {statistics.median(cpu['bellhop']) * 1000:.2f} ms")
    say(f"  Bellhop ÷ loop (each round against the loops either side): median "
        f"×{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}; target ≤ 1.5), "
        f"connections ≤ 10: {'met' if sum(connections) <= 10 else 'MISSED'}")
    if main_totals:
        side = [ours / theirs for ours, theirs in zip(totals, main_totals, strict=True)]
        say(f"  main's bellhop serve ({base}), the same burst after each of this tree's: "
            f"{', '.join(f'{s:.2f}' for s in main_totals)} s, CPU a message "
            f"{statistics.median(cpu['main']) * 1000:.2f} ms; ÷ loop: median "
            f"×{statistics.median(main_ratios):.2f} "
            f"({min(main_ratios):.2f}–{max(main_ratios):.2f}); this tree ÷ main, round by "
            f"round: ×{statistics.median(side):.3f} ({min(side):.3f}–{max(side):.3f})")
    kept = statistics.mean(kept_loops)
    say(f"  the loop building its messages with the card's policy (headers parsed once, "
        f"core/services/mailheaders.py): {', '.join(f'{s:.2f}' for s in kept_loops)} s; "
        f"Bellhop ÷ that loop: median ×{statistics.median(totals) / kept:.2f}")
    say(f"  the send_email card alone, {count} runs at once in this process (no receiver, "
        f"no store): {', '.join(f'{s:.2f}' for s in cards)} s, connections "
        f"{', '.join(map(str, card_connections))}; ÷ loop: median "
        f"×{statistics.median(card_ratios):.2f} ({min(card_ratios):.2f}–{max(card_ratios):.2f})")
    if old is not None:
        say(f"  main's card (a connection per message, 4 runs at a time as main's engine): "
            f"{before:.2f} s, connections {before_connections}")
        RESULTS["email_main"] = {"seconds": before, "connections": before_connections}
    say(f"  webhook → accepted under that load: p50 {pct(waits, 0.5) * 1000:.0f} ms, "
        f"p90 {pct(waits, 0.9) * 1000:.0f} ms (the line of waiting messages included)")
    say(f"  webhook → accepted, 200 posts at 20/s: p50 {pct(light_waits, 0.5) * 1000:.1f} ms, "
        f"p90 {pct(light_waits, 0.9) * 1000:.1f} ms")
    RESULTS["email"] = {"loop_s": loops, "bellhop_s": totals, "ratios": ratios,
                        "card_s": cards, "card_ratios": card_ratios,
                        "card_connections": card_connections,
                        "connections": connections, "cpu_s": cpu, "p50_s": pct(waits, 0.5),
                        "p90_s": pct(waits, 0.9), "light_p50_s": pct(light_waits, 0.5),
                        "light_p90_s": pct(light_waits, 0.9),
                        "main_serve_s": main_totals, "main_serve_ratios": main_ratios,
                        "kept_policy_loop_s": kept_loops}


# --- files -----------------------------------------------------------------------------------

COLUMNS = {"Order": "{{ body.name }}", "Date": "{{ body.date }}", "Phone": "{{ body.phone }}",
           "City": "{{ body.city }}", "Total": "{{ body.total }}"}
ROW = ["#1042", "2026-12-06", "0912345678", "台北市", "1640"]


def write_csv(path: Path, rows: int) -> None:
    """A CSV file as Excel saves 'CSV UTF-8' (Bellhop did not write it)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(list(COLUMNS))
        out.writerows([f"#{n}", *ROW[1:]] for n in range(rows))


@contextlib.contextmanager
def card_context(home: Path, accounts: dict[str, Any] | None = None,
                 http: aiohttp.ClientSession | None = None) -> Iterator[Callable[[int], Any]]:
    """A StepContext maker for calling a card as the engine does (an event per order)."""
    from bellhop.core.stepcontext import Services, StepContext
    from bellhop.core.templating import make_context

    services = Services(home=home, accounts=lambda: accounts or {},
                        http=http)  # type: ignore[arg-type]

    def ctx(n: int) -> StepContext:
        event = {"body": {"name": f"#{n}", "date": "2026-12-06", "phone": "0912345678",
                          "city": "台北市", "total": "1640"}, "query": {}, "headers": {},
                 "method": "POST", "received_at": "2026-12-06T14:05:31+08:00",
                 "event_id": f"ev_{n}", "rule": "bench", "steps": {}}
        return StepContext(services, values=make_context(event), rule_name="bench",
                           event_id=f"ev_{n}", step_index=1, step_label="bench")

    yield ctx


def base_card(base: Path | None, name: str) -> Any:
    """main's version of the card module `name`, or None without a checkout."""
    source = base / "desktop" / "bellhop" / "actions" / f"{name}.py" if base else None
    if source is None or not source.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"main_{name}", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic looks its annotations up there
    spec.loader.exec_module(module)
    return module


async def csv_stream(tmp: Path, appends: int, rounds: int, base: Path | None) -> None:
    from bellhop.actions.append_file import ACTION, AppendFileConfig

    files = {1_000: tmp / "orders-1k.csv", 100_000: tmp / "orders-100k.csv"}
    for rows, path in files.items():
        write_csv(path, rows)
    configs = {rows: AppendFileConfig(type="append_file", path=str(path), columns=COLUMNS)
               for rows, path in files.items()}
    first: dict[int, float] = {}
    took: dict[int, list[float]] = {rows: [] for rows in files}
    with card_context(tmp) as ctx:
        for rows, config in configs.items():  # the first append reads the file once
            began = time.perf_counter()
            await ACTION.run(ctx(0), config)
            first[rows] = time.perf_counter() - began
        for _ in range(rounds):  # alternating, so drift hits both alike
            for rows, config in configs.items():
                for n in range(appends):
                    began = time.perf_counter()
                    await ACTION.run(ctx(n), config)
                    took[rows].append(time.perf_counter() - began)
        before: dict[int, float] = {}
        old = base_card(base, "append_file")
        if old is not None:  # main's card: the whole file parsed for each row
            for rows, path in files.items():
                old_config = old.AppendFileConfig(type="append_file", path=str(path),
                                                  columns=COLUMNS)
                times = []
                for n in range(max(10, appends // 4)):
                    began = time.perf_counter()
                    await old.run(ctx(n), old_config)
                    times.append(time.perf_counter() - began)
                before[rows] = statistics.median(times)
    small, large = statistics.median(took[1_000]), statistics.median(took[100_000])
    say(f"  CSV append through the card, median of {appends * rounds}: at 1,000 rows "
        f"{small * 1000:.2f} ms, at 100,000 rows {large * 1000:.2f} ms: "
        f"×{large / small:.2f} (target ≤ 1.5)")
    say(f"  first append to a file Bellhop did not write last (read once): at 1,000 rows "
        f"{first[1_000] * 1000:.1f} ms, at 100,000 rows {first[100_000] * 1000:.1f} ms")
    if before:
        say(f"  main's card (re-reads the file each row): {before[1_000] * 1000:.2f} ms "
            f"against {before[100_000] * 1000:.2f} ms: ×{before[100_000] / before[1_000]:.1f}")
    RESULTS["csv"] = {"at_1k_s": small, "at_100k_s": large, "first_1k_s": first[1_000],
                      "first_100k_s": first[100_000], "main_s": before}


async def xlsx_batch(tmp: Path, rows: int, existing: int, per_row: int) -> None:
    from openpyxl import Workbook

    from bellhop.actions.append_file import ACTION, AppendFileConfig

    template = tmp / "template.xlsx"
    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(list(COLUMNS))
    for n in range(existing):
        book.active.append([f"#{n}", "2026-12-06", "0912345678", "台北市", 1640])
    book.save(template)
    with card_context(tmp) as ctx:
        single = tmp / "one-a-save.xlsx"
        shutil.copy(template, single)
        config = AppendFileConfig(type="append_file", path=str(single), columns=COLUMNS)
        saves = []
        for n in range(per_row):  # one at a time: one load and one save per row
            began = time.perf_counter()
            await ACTION.run(ctx(n), config)
            saves.append(time.perf_counter() - began)
        batched = tmp / "batched.xlsx"
        shutil.copy(template, batched)
        config = AppendFileConfig(type="append_file", path=str(batched), columns=COLUMNS)
        began = time.perf_counter()
        outputs = await asyncio.gather(*(ACTION.run(ctx(n), config) for n in range(rows)))
        together = time.perf_counter() - began
    in_order = [o["row"] for o in outputs] == list(range(existing + 2, existing + 2 + rows))
    one = statistics.mean(saves)
    say(f"  xlsx: {rows} rows arriving together into a {existing:,}-row workbook: "
        f"{together:.1f} s ({together / rows * 1000:.1f} ms a row), rows in order: {in_order}")
    say(f"  one load + save per row: {one:.2f} s a row (mean of {per_row} rows; "
        f"{rows} rows extrapolated: {one * rows:.0f} s)")
    say(f"  batched ÷ one save per row: ×{together / (one * rows):.4f} "
        f"({one * rows / together:.0f} times faster)")
    RESULTS["xlsx"] = {"rows": rows, "existing": existing, "batched_s": together,
                       "per_row_s": saves, "in_order": in_order}


def files(appends: int, rounds: int, xlsx_rows: int, per_row: int, base: Path | None) -> None:
    say("\n== Files, through the append_file card")
    with tempfile.TemporaryDirectory(prefix="flash-files-") as tmp:
        asyncio.run(csv_stream(Path(tmp), appends, rounds, base))
        asyncio.run(xlsx_batch(Path(tmp), xlsx_rows, 20_000, per_row))


# --- the answer to the sender ----------------------------------------------------------------


def serve(base: Path, rounds: int) -> None:
    say(f"\n== The answer to the sender: ab_serve.py, A = main ({base}), B = this tree")
    done = subprocess.run([sys.executable, str(BENCH / "ab_serve.py"), "--a", str(base),
                           "--rounds", str(rounds)], cwd=REPO, stdout=subprocess.PIPE,
                          text=True, check=False)
    print(done.stdout, end="", flush=True)
    found = {name: re.search(rf"{name}:\s+median ([\d.]+) \(spread ([\d.]+)–([\d.]+)\)",
                             done.stdout)
             for name in ("answers a second", "CPU per answer")}
    RESULTS["serve"] = {name: [float(x) for x in match.groups()] if match else None
                        for name, match in found.items()}


@contextlib.contextmanager
def checkout_of_main(given: Path | None) -> Iterator[Path | None]:
    """`given`, else main as `git archive` unpacks it in a temporary directory (None when
    there is no branch main to unpack)."""
    if given is not None:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="flash-main-") as tmp:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", "main"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 check=False)
        if archive.returncode != 0:
            say("no branch main to compare with: the answer to the sender and main's CSV "
                "card are left out (--base DIR names a checkout)")
            yield None
            return
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield Path(tmp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated, of: {', '.join(SECTIONS)}")
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--window", type=float, default=6.0,
                        help="the time-scaled quota window, seconds (Google's: 60)")
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--email-rounds", type=int, default=3)
    parser.add_argument("--email-base", action="store_true",
                        help="email: also run main's `bellhop serve` (--base), round by round")
    parser.add_argument("--csv-appends", type=int, default=200)
    parser.add_argument("--csv-rounds", type=int, default=3)
    parser.add_argument("--xlsx-rows", type=int, default=1000)
    parser.add_argument("--xlsx-per-row", type=int, default=5,
                        help="rows written one load and save each (the baseline)")
    parser.add_argument("--rounds", type=int, default=6, help="ab_serve.py rounds")
    parser.add_argument("--base", type=Path, help="a checkout of main (default: git archive)")
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    from memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(prefix="flash-env-") as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # "start at login" never looks at ~/.config
        say(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        with checkout_of_main(args.base) as base:
            if "sheets" in only:
                sheets_scaled(args.orders, args.window, args.window / 2)
            if "realtime" in only:
                sheets_realtime(args.orders, 30.0)
            if "email" in only:
                email(args.emails, args.senders, args.email_rounds, base, args.email_base)
            if "files" in only:
                files(args.csv_appends, args.csv_rounds, args.xlsx_rows, args.xlsx_per_row,
                      base)
            if "serve" in only and base is not None:
                serve(base, args.rounds)
        say(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    with contextlib.suppress(OSError, ValueError):  # sections not run keep their figures
        RESULTS.update({k: v for k, v in json.loads(RESULTS_FILE.read_text()).items()
                        if k not in RESULTS})
    RESULTS_FILE.write_text(json.dumps(RESULTS, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
