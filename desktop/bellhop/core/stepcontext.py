"""What a step's `run` receives: templates, accounts, secrets, shared HTTP and file locks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bellhop.core.errors import Fix, PermanentError, edit_card, open_account
from bellhop.core.events import EngineEvent, Listener
from bellhop.core.i18n import N_, _
from bellhop.core.platform.secret_files import SecretUnavailable
from bellhop.core.platform.secrets import get_secret
from bellhop.core.services.pacing import Destinations, Write
from bellhop.core.templating import (
    Gap,
    RequiredFieldEmpty,
    TemplateProblem,
    fill_in,
    make_context,
)

# Kinds of account as accounts.json writes them, and as a sentence names them.
_KIND_NAMES = {"smtp": N_("mail"), "google": N_("Google")}


def kind_name(kind: str) -> str:
    """A kind of account in words: 'smtp' → 'mail' (郵件)."""
    name = _KIND_NAMES.get(kind)
    return _(name) if name else kind


@dataclass
class Services:
    """Long-lived things every step shares, owned by the engine."""

    home: Path
    accounts: Callable[[], Mapping[str, Mapping[str, Any]]]
    http: aiohttp.ClientSession
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    # Things cards keep between runs (access tokens, a sheet's header row), by a key the
    # card chooses; they live as long as the engine.
    shared: dict[str, Any] = field(default_factory=dict)
    # Tells the engine's listeners something (an engine event): the window's tray shows a
    # NoticeRequested, `bellhop serve` prints it. The engine fills it in.
    publish: Listener | None = None
    # Places rows and messages go to, written in arrival order (core/services/pacing.py).
    destinations: Destinations = field(default_factory=Destinations)

    def lock_for(self, key: str) -> asyncio.Lock:
        """One lock per file or resource, so writes to it never interleave."""
        lock = self.locks.get(key)
        if lock is None:
            lock = self.locks[key] = asyncio.Lock()
        return lock


@dataclass(frozen=True)
class FieldGap:
    """A field the event lacks, left empty in one of the card's fields."""

    gap: Gap
    label: str  # the card's field as the person reads it: "Message", "Column 'Customer'"
    field: str  # the config field's name: "body", "columns"


class FieldRequired(PermanentError):
    """A field the template marks `| required` is missing or empty: the step fails.

    The engine words it for the person (core/running/missingfields.py); `fix` is what the
    window's "Edit this card" button opens: ("edit_card", step index, config field name)."""

    def __init__(self, message: str, place: FieldGap, step_index: int) -> None:
        super().__init__(message)
        self.place = place
        self.fix: tuple[str, int, str] = ("edit_card", step_index, place.field)


@dataclass
class StepContext:
    """The world as one step of one run sees it."""

    services: Services
    values: dict[str, Any]
    rule_name: str
    event_id: str
    step_index: int
    step_label: str
    test_run: bool = False  # 'Run test' on a sample: cards may check instead of acting
    place: int | None = None  # this step's place at its card's destination, if reserved
    # Fields the event lacks that this try of the step left empty (the step's warnings).
    missing: list[FieldGap] = field(default_factory=list)
    _wrapped: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def http(self) -> aiohttp.ClientSession:
        """The shared HTTP client session."""
        return self.services.http

    @property
    def home(self) -> Path:
        """The data home."""
        return self.services.home

    def render(self, template: str, field_label: str = "", *, field: str = "") -> str:
        """Render a template against this run; a problem fails the step for good.

        `field_label` is the card's field as the person reads it, `field` its config name:
        a field the event lacks comes out empty and is kept in `missing` with them."""
        if self._wrapped is None:  # wrapped once per step, and only if a template needs it
            self._wrapped = make_context(self.values)
        try:
            filled = fill_in(template, self._wrapped)
        except TemplateProblem as exc:
            fix = exc.fix or edit_card(field or None, self.step_index)
            message = _("{field}: {problem}").format(
                field=field_label, problem=exc.message) if field_label else exc.message
            if isinstance(exc, RequiredFieldEmpty):
                raise FieldRequired(message, FieldGap(exc.gap, field_label, field),
                                    self.step_index) from exc
            raise PermanentError(message, fix=fix) from exc
        self.missing.extend(FieldGap(gap, field_label, field) for gap in filled.missing)
        return filled.text

    def account(self, name: str, kind: str, field: str = "account") -> Mapping[str, Any]:
        """The account called `name` (the card's `field` names it), which must be of `kind`
        (e.g. 'smtp')."""
        accounts = self.services.accounts()
        found = accounts.get(name)
        if found is None:
            raise PermanentError(
                _("There is no account called '{name}'. Add it under Accounts, "
                  "or pick another one in this step.").format(
                    name=name,
                ), fix=open_account(name)
            )
        if found.get("kind") != kind:
            raise PermanentError(
                _("The account '{name}' is a {actual} account, but this step needs "
                  "a {kind} account.").format(
                    name=name,
                    actual=kind_name(str(found.get("kind", "?"))),
                    kind=kind_name(kind),
                ), fix=edit_card(field, self.step_index)
            )
        return found

    def secret(self, name: str, what: str = "", fix: Fix | None = None) -> str:
        """The secret saved under `name` (keychain, or a server's secret file); `fix` is
        where the person saves it (an account, or the card's field naming it)."""
        try:
            return get_secret(name)
        except SecretUnavailable as exc:
            raise PermanentError(exc.message, fix=fix) from exc

    def publish(self, event: EngineEvent) -> int:
        """Tell the engine's listeners (the tray, the console); how many were told."""
        if self.services.publish is None:
            return 0
        self.services.publish(event)
        return 1

    def lock_for(self, key: str) -> asyncio.Lock:
        """A lock shared by every run that touches the same file or resource."""
        return self.services.lock_for(key)

    async def write_in_order(self, destination: str, item: Any, write: Write,
                             together: Any) -> Any:
        """Hand `item` to `destination` in this run's turn; `write`'s result for it.

        Items of runs that arrived earlier are written first; those waiting when the
        destination is free share one `write` (if their `together` values are equal)."""
        return await self.services.destinations.get(destination).put(
            self.place, item, write, together)
