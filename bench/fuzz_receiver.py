"""A long-run fuzzer for the receiver: `bellhop serve` in a subprocess, random raw requests.

    .venv/bin/python bench/fuzz_receiver.py [--requests 100000] [--seconds 900] [--seed 1]
                                            [--workers 8] [--known-bugs]

Starts `python -m bellhop serve` on a free port of 127.0.0.1 with a temporary data home
(three rules: JSON with a filter, invalid JSON kept as text, PUT only), then sends random
requests over raw sockets from several concurrent workers: odd methods, mangled paths and
tokens, odd headers and Content-Types, wrong Content-Lengths, chunking, invalid UTF-8 bodies,
deep JSON, huge numbers, NUL bytes, broken multipart, bodies up to about 1 MiB. Everything
is generated with `random` from --seed, so a run can be repeated.

Some requests carry a delivery id (X-GitHub-Delivery, ...) from a small pool, so duplicates
happen and must be answered with the first event's id, not stored again.

It prints answers by status class and code, requests/s, connections that got no answer,
whether the server is still up (/healthz), the events in events.db against the 2xx answers,
and the server's RSS at the start and the end. It stops by itself (--requests, --seconds),
stops the server, and removes its temporary folder. Exit code 1 when the contract broke:
a 5xx, a well-formed request with no answer, a count mismatch, or the server gone.

--known-bugs also sends inputs that hit bugs already known (invalid UTF-8 in header values,
lone surrogates in a filtered field, broken gzip); without it they are left out, so the
figures show whether anything *new* is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import random
import re
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from procs import Server, ServerFailed, ServerSpec, probe, serve_argv, vm_rss_kib
from support import fuzz_corpus as corpus
from support.rawhttp import HOST, NotHttp, exchange, post, with_raw_header

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
URL_LINE = re.compile(r"^(?P<name>.+?) → http://127\.0\.0\.1:\d+/hooks/(?P<token>\S+)", re.M)
RULE_NAMES = {"json": "Fuzz JSON orders", "text": "Fuzz kept as text", "put": "Fuzz PUT updates"}

TEXT_POOL = ("abc", "王小明", "ü", "€", "😀", " ", "'", '"', "\\", "&", "=", "%", "+", "/", "?",
             "#", ";", "\t", "\u2028", "\ufeff", "null", "1e3", "-0", "NaN", "\U0010ffff")
UNICODE_HEADS = ["café", "王小明", "😀", "naïve", "\u2028"]


# -- random requests -------------------------------------------------------------------------


class Gen:
    """Random requests from one seeded `random.Random`."""

    def __init__(self, rnd: random.Random, tokens: dict[str, str], known_bugs: bool) -> None:
        self.rnd = rnd
        self.tokens = tokens
        self.known_bugs = known_bugs

    def text(self, most: int = 12) -> str:
        """A short string of awkward pieces."""
        return "".join(self.rnd.choice(TEXT_POOL) for _ in range(self.rnd.randint(0, most)))

    def query(self) -> str:
        roll = self.rnd.random()
        if roll < 0.5:
            return ""
        if roll < 0.8:
            return self.rnd.choice(corpus.QUERIES)
        pairs = [(self.text(4), self.text(4)) for _ in range(self.rnd.randint(1, 4))]
        return "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)

    def target(self) -> tuple[str, str | None]:
        """A request target and the rule it reaches, if it is a real hook."""
        rule_id = self.rnd.choice(sorted(self.tokens))
        token = self.tokens[rule_id]
        if self.rnd.random() < 0.5:
            return f"/hooks/{token}{self.query()}", rule_id
        kind = self.rnd.randrange(8)
        if kind == 0:
            path = f"/hooks/{token}{self.rnd.choice(corpus.PATH_TAILS)}"
        elif kind == 1:
            path = f"{self.rnd.choice(corpus.PATH_HEADS)}{token}"
        elif kind == 2:
            path = self.rnd.choice(corpus.ODD_PATHS)
        elif kind == 3:
            path = "/hooks/" + "a" * self.rnd.randint(129, 5000)
        elif kind == 4:
            path = f"/hooks/{token}" + "A" * self.rnd.randint(129 - len(token), 1000)
        elif kind == 5:
            path = "/hooks/" + quote(self.text(), safe=self.rnd.choice(["", "/"]))
        elif kind == 6:
            path = "/hooks/" + self.rnd.choice(UNICODE_HEADS)  # raw UTF-8 in the request line
        else:
            path = "/hooks/" + "".join(self.rnd.choice(corpus.TOKEN_CHARS) for _ in range(22))
        return path + self.query(), None

    def json_value(self, depth: int = 0) -> object:
        roll = self.rnd.randrange(9 if depth < 3 else 7)
        if roll == 0:
            return None
        if roll == 1:
            return self.rnd.random() < 0.5
        if roll == 2:
            return self.rnd.randint(-(2**70), 2**70)
        if roll == 3:
            return self.rnd.choice([0.5, -1e308, 1e-300, float("nan"), float("inf"), 150.0])
        if roll in (4, 5, 6):
            return self.text()
        if roll == 7:
            return [self.json_value(depth + 1) for _ in range(self.rnd.randint(0, 4))]
        return {self.rnd.choice(["total_price", "name", "", self.text(3)]):
                self.json_value(depth + 1) for _ in range(self.rnd.randint(0, 4))}

    def multipart(self) -> bytes:
        return corpus.multipart([(self.text(4).replace('"', "").replace("\\", ""), self.text(20),
                           self.rnd.random() < 0.3) for _ in range(self.rnd.randint(0, 4))])

    def payload(self) -> tuple[str | None, bytes]:
        """A Content-Type (or none) and a body; usually a matching pair, sometimes not."""
        kind = self.rnd.randrange(8)
        content_type: str | None = "application/json"
        if kind == 0:
            body = json.dumps(self.json_value(), ensure_ascii=self.rnd.random() < 0.5).encode()
        elif kind == 1:
            order = {"total_price": self.rnd.choice([self.rnd.randint(-500, 5000), "150",
                                                     "NaN", "1,000", " 7 ", None, 99.5]),
                     "name": self.text()}
            body = json.dumps(order, ensure_ascii=self.rnd.random() < 0.5).encode()
        elif kind == 2:
            body = self.rnd.choice(corpus.NASTY_BODIES)
        elif kind == 3:
            body, content_type = self.rnd.randbytes(self.rnd.randint(0, 2000)), None
        elif kind == 4:
            content_type = "application/x-www-form-urlencoded"
            body = "&".join(f"{quote(self.text(4))}={quote(self.text(6))}"
                            for _ in range(self.rnd.randint(0, 5))).encode()
        elif kind in (5, 6):
            content_type = "multipart/form-data; boundary=XyZ"
            body = self.multipart()
            if kind == 6:
                body = body[:self.rnd.randint(0, max(len(body) - 1, 0))]
        else:
            body = corpus.padded_order(self.rnd.choice(corpus.PAD_FILLERS),
                                       self.rnd.randint(10_000, 1_000_000))
        if self.rnd.random() < 0.25:  # a Content-Type that does not match the body
            content_type = self.rnd.choice([None, self.text(6), *corpus.CONTENT_TYPES])
        return content_type, body

    def framing(self, body: bytes) -> tuple[bool, list[tuple[str, str]], bytes]:
        """Framing headers and the bytes after the head; True when they agree."""
        how = self.rnd.choices(list(corpus.FRAMINGS), weights=list(corpus.FRAMINGS.values()))[0]
        cuts = [self.rnd.randint(0, len(body)) for _ in range(self.rnd.randint(0, 4))]
        return corpus.frame(how, body, cuts, self.rnd.choice(corpus.BAD_LENGTHS))

    def known_bug(self) -> corpus.Req:
        """An input that hits a bug already reported (only with --known-bugs)."""
        path = f"/hooks/{self.tokens['json']}"
        kind = self.rnd.randrange(4)
        if kind == 0:
            name, value = self.rnd.choice(corpus.INVALID_UTF8_HEADERS)
            raw = with_raw_header(post(path, b'{"total_price": 150}'), name, value)
        elif kind in (1, 2):
            content_type, body = self.rnd.choice(list(corpus.LONE_SURROGATES.values()))
            raw = post(path, body, content_type)
        else:
            body = b'{"total_price": 150}'
            if self.rnd.random() < 0.3:
                body = gzip.compress(body)
            raw = post(path, body, extra=[("Content-Encoding", "gzip")])
        return corpus.Req(raw, False, False, known_bug=True)

    def request(self) -> corpus.Req:
        """One random request."""
        if self.known_bugs and self.rnd.random() < 0.02:
            return self.known_bug()
        target, rule_id = self.target()
        roll = self.rnd.random()
        if rule_id is not None and roll < 0.7:
            method = "PUT" if rule_id == "put" else "POST"
        elif roll < 0.95:
            method = self.rnd.choice(corpus.KNOWN_METHODS + corpus.ODD_METHODS)
        else:
            method = "".join(self.rnd.choice(corpus.TOKEN_CHARS)
                             for _ in range(self.rnd.randint(1, 12)))
        content_type, body = self.payload()
        headers = [(self.rnd.choice(corpus.HEADER_NAMES), self.text(8).strip())
                   for _ in range(self.rnd.randint(0, 6))]
        headers = [(n, v.replace("\r", "").replace("\n", "").replace("\t", " "))
                   for n, v in headers]
        if self.rnd.random() < 0.15:  # a sender's delivery id; repeats are duplicates
            headers.append((self.rnd.choice(corpus.DELIVERY_HEADERS),
                            f"d{self.rnd.randint(1, 20)}"))
        if content_type is not None:
            headers.append(("Content-Type", content_type.replace("\t", " ")))
        return corpus.fuzz_request(method, target, headers, self.framing(body))


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """Everything the workers saw."""

    limit: int
    deadline: float
    issued: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    known_bug_statuses: Counter[int] = field(default_factory=Counter)
    no_answer: Counter[str] = field(default_factory=Counter)
    event_ids: set[str] = field(default_factory=set)
    hook_2xx: int = 0
    other_2xx: list[bytes] = field(default_factory=list)
    tracebacks: int = 0
    examples: dict[str, bytes] = field(default_factory=dict)  # first request of each problem
    rss: list[tuple[int, int]] = field(default_factory=list)  # (requests sent, KiB)

    def take(self) -> bool:
        """Whether another request may go out."""
        if self.issued >= self.limit or time.monotonic() >= self.deadline:
            return False
        self.issued += 1
        return True

    def note(self, problem: str, req: corpus.Req) -> None:
        self.examples.setdefault(problem, req.raw[:300])


async def worker(index: int, port: int, tokens: dict[str, str], args: argparse.Namespace,
                 tally: Tally) -> None:
    """Send requests until the tally says stop."""
    gen = Gen(random.Random(f"{args.seed}-{index}"), tokens, args.known_bugs)
    while tally.take():
        req = gen.request()
        try:
            answer = await exchange(port, req.raw, head=req.head, timeout=args.timeout)
        except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError):
            kind = "closed/reset" + (" (malformed request)" if req.may_drop
                                     else " (well-formed request)")
            tally.no_answer[kind] += 1
            if not req.may_drop:
                tally.note(kind, req)
            continue
        except ConnectionRefusedError:
            tally.no_answer["refused"] += 1
            continue
        except TimeoutError:
            tally.no_answer["timeout"] += 1
            tally.note("timeout", req)
            continue
        except NotHttp:
            tally.no_answer["not HTTP"] += 1
            tally.note("not HTTP", req)
            continue
        (tally.known_bug_statuses if req.known_bug else tally.statuses)[answer.status] += 1
        if answer.status >= 500 and not req.known_bug:
            tally.note(f"status {answer.status}", req)
        if b"Traceback" in answer.body:
            tally.tracebacks += 1
            tally.note("Traceback in body", req)
        if 200 <= answer.status < 300 and not req.head and answer.body != b"ok":
            try:
                tally.event_ids.add(json.loads(answer.body)["event_id"])
                tally.hook_2xx += 1
            except (ValueError, KeyError, TypeError):
                tally.other_2xx.append(answer.body[:200])


async def sample_rss(pid: int, tally: Tally) -> None:
    """The server's VmRSS once a second, with how many requests had gone out."""
    while True:
        tally.rss.append((tally.issued, vm_rss_kib(pid)))
        await asyncio.sleep(1)


def write_home(home: Path, port: int, body_read_timeout: float) -> Path:
    """rules.json and settings.json for the run (documented formats, written as JSON)."""
    home.mkdir(parents=True, exist_ok=True)
    call_back = {"type": "http_request", "method": "GET",
                 "url": f"http://{HOST}:{port}/healthz", "timeout": 5}
    rules = [
        {"id": "json", "name": RULE_NAMES["json"], "enabled": True,
         "trigger": {"type": "webhook", "token": secrets.token_urlsafe(16), "methods": ["POST"]},
         "steps": [{"type": "filter", "match": "all", "conditions": [
             {"field": "body.total_price", "op": "gt", "value": 100}]}]},
        {"id": "text", "name": RULE_NAMES["text"], "enabled": True,
         "trigger": {"type": "webhook", "token": secrets.token_urlsafe(16), "methods": ["POST"],
                     "invalid_json": "text"},
         "steps": [call_back]},
        {"id": "put", "name": RULE_NAMES["put"], "enabled": True,
         "trigger": {"type": "webhook", "token": secrets.token_urlsafe(16), "methods": ["PUT"]},
         "steps": [{"type": "filter", "match": "any", "conditions": [
             {"field": "body.name", "op": "not_empty"},
             {"field": "method", "op": "eq", "value": "PUT"}]}, call_back]},
    ]
    (home / "rules.json").write_text(json.dumps({"version": 1, "rules": rules}), "utf-8")
    (home / "settings.json").write_text(json.dumps(
        {"version": 1, "body_read_timeout": body_read_timeout, "language": "en"}), "utf-8")
    return home


def read_tokens(server: Server, timeout: float = 15.0) -> dict[str, str]:
    """The hook tokens from the `Name → http://127.0.0.1:PORT/hooks/<token>` lines."""
    by_name = {name: rule_id for rule_id, name in RULE_NAMES.items()}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = server.log_path.read_text("utf-8", errors="replace")
        found = {by_name[m["name"]]: m["token"] for m in URL_LINE.finditer(text)
                 if m["name"] in by_name}
        if len(found) == len(RULE_NAMES):
            return found
        time.sleep(0.05)
    raise ServerFailed("the server never printed its webhook addresses:\n" + server.log_tail())


def stored_events(db: Path) -> Counter[str]:
    """Events in events.db by rule, read-only."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return Counter(dict(conn.execute("SELECT rule_id, COUNT(*) FROM events GROUP BY 1")))


def log_errors(home: Path) -> int:
    """ERROR lines in bellhop.log and its rotated files."""
    count = 0
    for path in home.glob("bellhop.log*"):
        count += sum(" ERROR " in line for line in path.read_text("utf-8", "replace").splitlines())
    return count


def report(tally: Tally, seconds: float, args: argparse.Namespace, up: bool,
           rss: tuple[int, int], stored: Counter[str], errors: int) -> bool:
    """Print the figures; True when the contract held."""
    answered = sum(tally.statuses.values())
    classes = Counter(f"{status // 100}xx" for status in tally.statuses.elements())
    lost = sum(tally.no_answer.values())
    print(f"Bellhop receiver fuzz: seed {args.seed}, {args.workers} workers, "
          f"{tally.issued} requests in {seconds:.1f} s ({tally.issued / seconds:.0f} req/s)")
    print("  answers by class:  " + ", ".join(f"{k} {v}" for k, v in sorted(classes.items()))
          + f"  (answered {answered}, no answer {lost})")
    print("  answers by status: " + ", ".join(
        f"{k} {v}" for k, v in sorted(tally.statuses.items())))
    if tally.known_bug_statuses:
        print("  known-bug inputs:  " + ", ".join(
            f"{k} {v}" for k, v in sorted(tally.known_bug_statuses.items())))
    print("  no answer:         " + (", ".join(f"{k} {v}" for k, v in sorted(
        tally.no_answer.items())) or "none"))
    print(f"  server up at end:  {'yes (/healthz 200)' if up else 'NO'}")
    total = sum(stored.values())
    by_rule = ", ".join(f"{k} {v}" for k, v in sorted(stored.items()))
    # Distinct ids: a duplicate delivery may rightly be answered with the first one's id.
    match = "match" if total == len(tally.event_ids) else "MISMATCH"
    print(f"  events.db:         {total} events ({by_rule}); hook 2xx answers {tally.hook_2xx}"
          f" ({tally.hook_2xx - len(tally.event_ids)} of them repeats of a delivery id),"
          f" distinct event ids {len(tally.event_ids)} → {match}")
    start, end = rss
    peak = max([end, *(kib for _, kib in tally.rss)])
    print(f"  server RSS:        start {start / 1024:.1f} MiB, end {end / 1024:.1f} MiB "
          f"({(end - start) / 1024:+.1f} MiB), peak {peak / 1024:.1f} MiB")
    marks = [(n, kib) for n, kib in tally.rss if n][:: max(1, len(tally.rss) // 8)]
    if marks:
        print("  RSS along the run: " + ", ".join(f"{n}: {kib / 1024:.0f}" for n, kib in marks)
              + " (requests: MiB)")
    print(f"  server log:        {errors} ERROR lines in bellhop.log* (it rotates: 4 x 1 MB)")
    if tally.tracebacks or tally.other_2xx:
        print(f"  tracebacks in bodies: {tally.tracebacks}; 2xx without an event id: "
              f"{len(tally.other_2xx)}")
    for problem, raw in tally.examples.items():
        print(f"  first {problem}: {raw!r}")
    fives = sum(v for k, v in tally.statuses.items() if k >= 500)
    well_formed_lost = sum(v for k, v in tally.no_answer.items()
                           if "well-formed" in k or k in ("timeout", "not HTTP", "refused"))
    return (up and not fives and not well_formed_lost and not tally.tracebacks
            and not tally.other_2xx and total == len(tally.event_ids))


async def fuzz(port: int, pid: int, tokens: dict[str, str],
               args: argparse.Namespace) -> tuple[Tally, float]:
    """Run the workers; the tally and the seconds taken."""
    tally = Tally(args.requests, time.monotonic() + args.seconds)
    sampler = asyncio.create_task(sample_rss(pid, tally))
    began = time.monotonic()
    try:
        await asyncio.gather(*(worker(i, port, tokens, args, tally)
                               for i in range(args.workers)))
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
    return tally, time.monotonic() - began


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the server and the fuzzer, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000, help="requests to send")
    parser.add_argument("--seconds", type=float, default=900.0, help="stop after this long")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=8, help="concurrent connections")
    parser.add_argument("--timeout", type=float, default=15.0, help="per request, seconds")
    parser.add_argument("--body-read-timeout", type=float, default=1.0,
                        help="the server's body_read_timeout setting (default 1 s)")
    parser.add_argument("--known-bugs", action="store_true",
                        help="also send inputs that hit bugs already known")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bellhop-fuzz-"))
    spec = ServerSpec(
        label="bellhop serve",
        argv=serve_argv,
        need_200=True,
        extra_env={"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
    )
    server = Server(spec, workdir, cpu=None, cwd=REPO)
    home = write_home(workdir / "home", server.port, args.body_read_timeout)
    spec.make_home = lambda _: home
    ok = False
    try:
        server.start()
        assert server.proc is not None
        server.wait_ready()
        tokens = read_tokens(server)
        rss_start = vm_rss_kib(server.proc.pid)
        tally, seconds = asyncio.run(fuzz(server.port, server.proc.pid, tokens, args))
        up = server.proc.poll() is None and probe(server.port, "/healthz", timeout=5) == 200
        rss_end = vm_rss_kib(server.proc.pid)
        server.end()
        stored = stored_events(home / "events.db")
        ok = report(tally, seconds, args, up, (rss_start, rss_end), stored, log_errors(home))
        if server.clean_stop is False:
            print("  the server did not stop on SIGINT within 5 s (killed)")
            ok = False
    except ServerFailed as exc:
        print(f"server failed: {exc}", file=sys.stderr)
    finally:
        server.end()
        if args.keep:
            print(f"  kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
