"""Deliveries the receiver turned away, told to the person: why, in words, with the fix.

Every refusal of a request to /hooks/… (an unknown address, a rule that is off or has a
problem, a wrong method, a body too large or not as it says, a signature that does not
match) is noted here. Noting is a dictionary update, off the answer's path: the answer
goes out at once. Notes of the same rule, status and kind are added up in memory and
written together a moment later, in the store's next group commit, where repeats within
a minute share a row (core/storage/refusals.py). Only then does the engine tell its
listeners (`DeliveryRejected`), once per kind: a flood of refused requests costs the
window and the file a few rows, not one per request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import partial

from bellhop.core.events import DeliveryRejected, EngineEvent
from bellhop.core.i18n import _
from bellhop.core.inbox.verify import mismatch_reason
from bellhop.core.storage.refusals import RefusalNote, write_refusals
from bellhop.core.storage.store import EventStore

log = logging.getLogger("bellhop.receiver")
FLUSH_DELAY = 0.25  # seconds notes gather in memory before they are written
Key = tuple[str, int, str]  # rule id ('' for none), status, kind


def size_words(size: int) -> str:
    """1048576 → '1 MB', 65536 → '64 KB' (what a person reads in a size limit)."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def refusal_reason(kind: str, detail: str = "", *, allowed: tuple[str, ...] = (),
                   limit: int = 0) -> str:
    """Why a delivery was turned away and what fixes it, in the window's language.

    `detail`: the parser's or the check's words; for a refused method, the method."""
    if kind == "signature":
        text = _("The signature did not match: check the secret in this rule's trigger.")
        return f"{text} ({detail})" if detail and detail != mismatch_reason() else text
    if kind == "no_secret":
        return _("This rule checks the sender's signature, but its secret is not saved: "
                 "save it in this rule's trigger. The sender tries again later.")
    if kind == "method":
        if len(allowed) == 1:
            return _("This address does not take {method} requests: the sender must "
                     "{allowed}.").format(method=detail, allowed=allowed[0])
        return _("This address does not take {method} requests: the sender must use "
                 "{allowed}.").format(method=detail, allowed=", ".join(allowed))
    if kind == "bad_json":
        return _("{problem} Check the sender's settings: it must send JSON.").format(
            problem=_end_sentence(detail))
    if kind == "bad_form":
        return _("{problem} The sender should send it again.").format(
            problem=_end_sentence(detail))
    if kind == "too_large":
        return _("The body is larger than {limit}: the sender must send less, or the limit "
                 "must be raised in Bellhop's settings.").format(limit=size_words(limit))
    if kind == "unreadable":
        return _("The body could not be read as it was sent (it was damaged on the way): "
                 "the sender should send it again.")
    if kind == "slow":
        return _("The body took too long to arrive (a slow or broken connection): the "
                 "sender should send it again.")
    if kind == "expect":
        return _("The sender asked for something Bellhop does not do (an “Expect” header "
                 "other than 100-continue): check the sender's settings.")
    if kind == "surveycake":
        return _("This address expects SurveyCake's svid and hash fields: point the "
                 "survey's webhook here, or turn off “This is a SurveyCake webhook” in this "
                 "rule's trigger.")
    if kind == "off":
        return _("This rule is off, so its address turns deliveries away: turn it on in "
                 "the rule list.")
    if kind == "problem":
        return _("This rule has a problem, so it turns deliveries away until it is fixed "
                 "(the sender tries again later): fix what is marked on its cards.")
    if kind == "held":
        return _("rules.json has a mistake, so this address turns deliveries away for now "
                 "(the sender tries again later): fix the file as the message at the top of "
                 "the window says.")
    return _("No rule has this address: the rule was deleted or its address changed; "
             "paste the new address into the sender.")


def _end_sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".。!?！？" else text + "."


class RefusalLog:
    """Refusals noted on the loop, added up, written in the store's group commit, told."""

    def __init__(self, store: EventStore, publish: Callable[[EngineEvent], None],
                 rule_name: Callable[[str], str] = lambda rule_id: "", *,
                 limit: int = 1024 * 1024) -> None:
        self.store = store
        self.limit = limit  # the body size limit, as a "too large" refusal names it
        self.publish = publish
        self.rule_name = rule_name
        self._pending: dict[Key, RefusalNote] = {}
        self._timer: asyncio.TimerHandle | None = None
        # Since this start, per rule: how many were refused, and the last note (what
        # "Send the sample to this rule" reports when its delivery is refused).
        self.totals: dict[str, int] = {}
        self.last: dict[str, RefusalNote] = {}

    def note(self, rule_id: str, status: int, kind: str, detail: str = "", *,
             allowed: tuple[str, ...] = ()) -> None:
        """One refused request (on the loop; the answer does not wait for anything here).

        Its reason in words (`refusal_reason`) is made once for each rule, status and kind
        until the next write: a flood of refusals costs a dictionary update each."""
        now = time.time()
        key = (rule_id, status, kind)
        pending = self._pending.get(key)
        if pending is None:
            reason = refusal_reason(kind, detail, allowed=allowed, limit=self.limit)
            pending = self._pending[key] = RefusalNote(rule_id, status, kind, reason, now, now, 0)
            if self._timer is None:
                self._timer = asyncio.get_running_loop().call_later(FLUSH_DELAY, self.flush)
        pending.count += 1
        pending.last_ts = now
        self.totals[rule_id] = self.totals.get(rule_id, 0) + 1
        if rule_id:
            self.last[rule_id] = pending

    def flush(self) -> None:
        """Write what was noted (in the next group commit) and tell listeners once it is in."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        notes = list(self._pending.values())
        self._pending = {}
        if notes:
            self.store.write_then(partial(write_refusals, notes=notes),
                                  partial(self._written, notes))

    def _written(self, notes: list[RefusalNote], error: BaseException | None) -> None:
        if error is not None:  # the store says so itself; the answers went out anyway
            log.error("could not record %d refused deliveries: %s",
                      sum(n.count for n in notes), error)
        for note in notes:
            name = self.rule_name(note.rule_id)
            log.warning("%d deliveries to %s refused (%d): %s", note.count,
                        name or "an unknown address", note.status, note.reason)
            self.publish(DeliveryRejected(
                rule_id=note.rule_id, rule_name=name,
                count=self.totals.get(note.rule_id, note.count), reason=note.reason,
                status=note.status, kind=note.kind, new=note.count, stored=error is None))
