"""What the parts of the core share about events: the local time stamp of a delivery
and the count of deliveries a rule refused."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, tzinfo

_zone: tuple[float, tzinfo | None] = (0.0, None)


def _local_zone(now: float) -> tzinfo | None:
    # Finding the local zone costs more than the rest of a request: look it up once a
    # minute (often enough to follow a daylight-saving change).
    global _zone
    if now - _zone[0] > 60 or _zone[1] is None:
        _zone = (now, datetime.fromtimestamp(now).astimezone().tzinfo)
    return _zone[1]


_last_stamp: tuple[int, str] = (-1, "")


def local_now() -> tuple[str, float]:
    """Now as ISO 8601 in the local time zone, and as a Unix time."""
    global _last_stamp
    now = time.time()
    millis = int(now * 1000)
    if millis == _last_stamp[0]:  # deliveries in a burst share their millisecond
        return _last_stamp[1], now
    text = datetime.fromtimestamp(millis / 1000, _local_zone(now)).isoformat(
        timespec="milliseconds")
    _last_stamp = (millis, text)
    return text, now


@dataclass
class Rejections:
    """Deliveries a rule refused because they could not prove their sender."""

    count: int = 0
    last_reason: str = ""
    last_at: float = 0.0
