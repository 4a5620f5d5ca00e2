"""The seqs of the events the Activity page lists, newest first.

A listing of every event is a `range` (seqs are dense), so a million events cost
nothing to list until one is inserted or removed; then it becomes an array.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Sequence


class SeqList:
    """Seqs of the events on show, newest first: live arrivals on top of what was found."""

    def __init__(self, found: Iterable[int] = ()) -> None:
        self._head = array("q")  # ascending: the newest is row 0
        self._body: range | array[int] = (
            found if isinstance(found, range) else array("q", found))  # descending

    def __len__(self) -> int:
        return len(self._head) + len(self._body)

    def __getitem__(self, row: int) -> int:
        head = len(self._head)
        return self._head[head - 1 - row] if row < head else self._body[row - head]

    def __iter__(self) -> Iterator[int]:
        yield from reversed(self._head)
        yield from self._body

    def add_newer(self, seqs: Sequence[int]) -> None:
        """Put these seqs (ascending, all newer than any listed) on top."""
        self._head.extend(seqs)

    def extend_older(self, seqs: Sequence[int]) -> None:
        """Put these seqs (descending, all older than any listed) at the bottom."""
        self._writable_body().extend(seqs)

    def _writable_body(self) -> array[int]:
        if isinstance(self._body, range):
            self._body = array("q", self._body)
        return self._body

    def row_of(self, seq: int) -> int | None:
        """The row showing `seq`, or None."""
        head = len(self._head)
        i = bisect_left(self._head, seq)
        if i < head and self._head[i] == seq:
            return head - 1 - i
        body = self._body
        if isinstance(body, range):
            return head + body.index(seq) if seq in body else None
        j = bisect_left(body, -seq, key=lambda s: -s)
        return head + j if j < len(body) and body[j] == seq else None

    def position(self, seq: int) -> int:
        """The row `seq` has, or would have once inserted."""
        row = self.row_of(seq)
        if row is not None:
            return row
        head, body = len(self._head), self._body
        if not body or seq > body[0]:
            return head - bisect_left(self._head, seq)
        if isinstance(body, range):  # not in a dense range, yet not above it: below its end
            return head + len(body)
        return head + bisect_left(body, -seq, key=lambda s: -s)

    def insert(self, seq: int) -> int:
        """Add one seq where it belongs (once); returns its row."""
        row = self.row_of(seq)
        if row is not None:
            return row
        body = self._body
        if not body or seq > body[0]:
            insort(self._head, seq)
        else:
            insort(self._writable_body(), seq, key=lambda s: -s)
        row = self.row_of(seq)
        assert row is not None
        return row

    def remove(self, seq: int) -> int | None:
        """Take one seq out; returns the row it had, or None if it was not listed."""
        row = self.row_of(seq)
        if row is None:
            return None
        head = len(self._head)
        if row < head:
            del self._head[head - 1 - row]
        else:
            del self._writable_body()[row - head]
        return row
