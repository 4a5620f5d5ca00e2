"""Load generators: wrk when installed, else an aiohttp client in its own pinned process."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import aiohttp

from procs import pin_prefix

HERE = Path(__file__).resolve().parent


@dataclass
class LoadResult:
    """What one load run measured."""

    tool: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int

    @property
    def errors(self) -> int:
        """Non-2xx answers plus failed requests."""
        return self.non_2xx + self.socket_errors

    def to_dict(self) -> dict[str, object]:
        """Plain dict for the JSON report."""
        return asdict(self)


# --- wrk -------------------------------------------------------------------------------------

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)\b"


def write_wrk_script(directory: Path, body: bytes) -> Path:
    """Write a wrk Lua script that POSTs `body` as JSON; return its path."""
    text = body.decode()
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    script = directory / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [{eq}[{text}]{eq}]\n"
        'wrk.headers["Content-Type"] = "application/json"\n',
        encoding="utf-8",
    )
    return script


def _ms(value: str, unit: str) -> float:
    """A wrk duration (number + unit) in milliseconds."""
    return float(value) * _UNIT_MS[unit]


def parse_wrk(output: str) -> LoadResult:
    """Parse `wrk --latency` output into a LoadResult."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p50 = re.search(r"^\s+50(?:\.0+)?%\s+" + _DURATION, output, re.M)
    p99 = re.search(r"^\s+99(?:\.0+)?%\s+" + _DURATION, output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    if not (rps and p50 and p99 and total):
        raise ValueError(f"cannot parse wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return LoadResult(
        tool="wrk",
        rps=float(rps.group(1)),
        p50_ms=_ms(*p50.groups()),
        p99_ms=_ms(*p99.groups()),
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sock.groups()) if sock else 0,
    )


def run_wrk(url: str, script: Path, connections: int, duration: int, cpu: int | None) -> LoadResult:
    """Run wrk (one thread, pinned to `cpu`) against `url` and parse its report."""
    argv = [
        *pin_prefix(cpu),
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, duration)}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


# --- Python fallback -------------------------------------------------------------------------


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def python_load(url: str, body: bytes, connections: int, duration: float) -> LoadResult:
    """POST `body` to `url` from `connections` workers for `duration` seconds."""
    latencies: list[float] = []
    counts = {"non_2xx": 0, "errors": 0}
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=5)
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, headers=headers
    ) as session:
        deadline = time.perf_counter() + duration

        async def worker() -> None:
            """Send requests back to back until the deadline."""
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    async with session.post(url, data=body) as response:
                        await response.read()
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    counts["errors"] += 1
                    continue
                latencies.append(time.perf_counter() - start)
                if not 200 <= status < 300:
                    counts["non_2xx"] += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return LoadResult(
        tool="python",
        rps=len(latencies) / elapsed if elapsed > 0 else 0.0,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        requests=len(latencies),
        non_2xx=counts["non_2xx"],
        socket_errors=counts["errors"],
    )


def run_python(
    url: str, body_file: Path, connections: int, duration: float, cpu: int | None
) -> LoadResult:
    """Run the Python load generator in a separate process pinned to `cpu`."""
    argv = [
        *pin_prefix(cpu),
        sys.executable,
        str(HERE / "loadgen.py"),
        "--url",
        url,
        "--body-file",
        str(body_file),
        "--connections",
        str(connections),
        "--duration",
        str(duration),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed ({done.returncode}): {done.stderr}")
    return LoadResult(**json.loads(done.stdout))


def main(argv: list[str] | None = None) -> int:
    """Command line of the Python load generator: prints one JSON LoadResult."""
    parser = argparse.ArgumentParser(description="aiohttp load generator (wrk fallback)")
    parser.add_argument("--url", required=True)
    parser.add_argument("--body-file", type=Path, required=True)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args(argv)
    body = args.body_file.read_bytes()
    result = asyncio.run(python_load(args.url, body, args.connections, args.duration))
    print(json.dumps(result.to_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
