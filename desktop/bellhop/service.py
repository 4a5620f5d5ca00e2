"""Bellhop as one object: settings, rules, accounts, store, engine and receiver wired together.

The composition root of the Qt-free side. `bellhop serve` drives it from the
terminal; the window drives the same object from its engine thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

import aiohttp

from bellhop.actions.registry import default_registry
from bellhop.core import jsoncodec
from bellhop.core.cards import Registry
from bellhop.core.errors import BellhopError, ConfigError
from bellhop.core.events import Listener, RulesChanged, local_now
from bellhop.core.gallery.secrets_check import MissingSecret, find_missing, needed_secrets
from bellhop.core.i18n import _, set_language
from bellhop.core.inbox.dedupe import DeliveryLedger
from bellhop.core.inbox.receiver import Receiver
from bellhop.core.inbox.sample_send import SampleSent, send_sample
from bellhop.core.platform import logfile, paths
from bellhop.core.platform.accounts import save_accounts
from bellhop.core.platform.autostart import set_start_at_login, starts_at_login
from bellhop.core.platform.control import ControlServer
from bellhop.core.platform.edited_files import EditedFiles, mtime
from bellhop.core.platform.instance import InstanceLock
from bellhop.core.platform.jsonfile import FileProblem
from bellhop.core.platform.secrets import (
    delete_secret,
    get_secret,
    keychain_available,
    no_keychain_message,
    set_secret,
)
from bellhop.core.platform.settings import Settings, load_settings, save_settings
from bellhop.core.running.engine import Engine
from bellhop.core.running.redo import answer
from bellhop.core.running.rules import (
    LoadedRule,
    check_rule,
    load_rules,
    save_rules,
    tokens_in_text,
)
from bellhop.core.services.google import import_service_account, tokens_of
from bellhop.core.services.google_oauth import OpenBrowser
from bellhop.core.services.google_setup import describe_sheet, sign_in_account
from bellhop.core.services.sheets import Quotas
from bellhop.core.services.smtp import connections_of
from bellhop.core.services.tunnel import (
    NGROK_SECRET,
    NoTunnel,
    Tunnel,
    check_from_outside,
    make_tunnel,
)
from bellhop.core.stepcontext import Services
from bellhop.core.storage.records import EventRecord, RunRecord
from bellhop.core.storage.store import EventStore

log = logging.getLogger("bellhop")
RULES_POLL_SECONDS = 2.0


class Bellhop:
    """The running app without a window."""

    def __init__(self, home: Path | None = None, registry: Registry | None = None) -> None:
        self.home = home or paths.data_home()
        self.registry = registry or default_registry()
        self.files = EditedFiles(self.home)  # rules.json and accounts.json
        # Things the user should be told once, in plain words (serve prints them at start).
        self.notices: list[str] = self.files.notices
        self.settings: Settings = Settings()
        self._lock = InstanceLock(self.home)
        # Files a person edits that cannot be read now, by name: the plain message shown.
        self.file_problems: dict[str, str] = self.files.problems
        self._watcher: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None
        self.services: Services | None = None
        self.store = EventStore(paths.events_db(self.home))
        self.engine: Engine | None = None
        self._first_listeners: list[Listener] = []  # subscribed before start
        self.receiver: Receiver | None = None
        self.ledger: DeliveryLedger | None = None
        self._log_handler: logging.Handler | None = None
        self.tunnel: Tunnel = NoTunnel()
        self.control: ControlServer | None = None  # how `bellhop retry` reaches this engine

    async def start(self, host: str | None = None, port: int | None = None,
                    tunnel: str | None = None) -> None:
        """Lock the data home, open the store, load rules, listen, and resume unfinished runs.

        `tunnel` ("none" or "ngrok") overrides the setting; the tunnel opens in the
        background and reports its state as engine events of kind "tunnel".
        """
        self._lock.acquire()
        try:
            await self._start(host, port)
            await self._start_tunnel(tunnel or self.settings.tunnel)
        except BaseException:
            await self.stop()
            raise

    async def start_alone(self) -> None:
        """Lock the data home and start the engine alone: no address, no tunnel, no
        backlog taken up, no control channel. For a command that runs what it was asked
        (`bellhop retry`, `replay`) while no Bellhop runs; AlreadyRunning when one does."""
        self._lock.acquire()
        try:
            await self._start_engine()
        except BaseException:
            await self.stop()
            raise

    async def _start(self, host: str | None, port: int | None) -> None:
        engine = await self._start_engine()
        self.ledger = DeliveryLedger(paths.events_db(self.home), self.settings.dedupe_days)
        self.receiver = Receiver(engine, self.ledger,
                                 max_body_bytes=self.settings.max_body_bytes,
                                 body_read_timeout=self.settings.body_read_timeout)
        await self.receiver.start(host or self.settings.host,
                                  self.settings.port if port is None else port)
        await engine.resume()
        self._watcher = asyncio.get_running_loop().create_task(self._watch_rules())
        self.files.started = True
        await self._start_control(engine)

    async def _start_control(self, engine: Engine) -> None:
        """Let `bellhop retry` and `replay` reach this engine (never on the webhook port)."""
        control = ControlServer(self.home, lambda request: answer(engine, request))
        try:
            await control.start()
        except OSError as exc:  # the window and serve work on without it
            log.warning("the command channel could not start: %s", exc)
            return
        self.control = control

    async def _start_engine(self) -> Engine:
        self._log_handler = logfile.attach(self.home)
        self.settings, problem = load_settings(paths.settings_file(self.home))
        if problem:
            self.notices.append(problem.message)
        # The login item itself is the truth: the Windows installer may have added it,
        # the user may have removed it in the system's settings.
        self.settings = self.settings.model_copy(update={"start_at_login": starts_at_login()})
        set_language(self.settings.language or None)
        await self.store.open()
        self._http = aiohttp.ClientSession()
        services = self.services = Services(home=self.home, accounts=self.accounts,
                                            http=self._http)
        services.shared["sheets.quotas"] = Quotas(
            writes_per_minute=self.settings.google_writes_per_minute,
            reads_per_minute=self.settings.google_reads_per_minute)
        self.engine = Engine(self.store, self.registry, services,
                             rule_concurrency=self.settings.rule_concurrency)
        self.files.publish = self.engine.publish
        await self.reload_rules_in_thread()
        # After the first reading of rules.json, before anything can come in or run.
        for listener in self._first_listeners:
            self.engine.subscribe(listener)
        return self.engine

    async def _start_tunnel(self, kind: str) -> None:
        assert self.receiver is not None and self.receiver.port is not None
        self.tunnel = make_tunnel(kind, self.home, path_setting=self.settings.ngrok_path,
                                  region=self.settings.ngrok_region,
                                  domain=self.settings.ngrok_domain, token=_ngrok_token)
        engine = self.engine
        assert engine is not None
        self.tunnel.subscribe(engine.publish)
        await self.tunnel.start(self.receiver.port)

    async def configure_tunnel(self, authtoken: str | None = None, **changes: Any) -> Settings:
        """Save tunnel settings (`tunnel`, `ngrok_domain`, `ngrok_region`, `ngrok_path`) and a
        new authtoken (to the keychain), then open the tunnel again with them."""
        unknown = set(changes) - TUNNEL_SETTINGS
        if unknown:
            raise ValueError(f"not tunnel settings: {sorted(unknown)}")
        if authtoken is not None and authtoken.strip():
            await self.store_secret(NGROK_SECRET, authtoken.strip())
        settings = self.update_settings(**changes) if changes else self.settings
        await self.restart_tunnel()
        return settings

    async def restart_tunnel(self) -> None:
        """Close the tunnel and open it again as the settings say."""
        await self.tunnel.stop()
        await self._start_tunnel(self.settings.tunnel)

    def retry_tunnel(self) -> None:
        """'Retry': try to connect now instead of after the wait."""
        retry = getattr(self.tunnel, "retry", None)
        if retry is not None:
            retry()

    async def stop(self) -> None:
        """Stop listening, stop runs where they are, flush the store, free the data home."""
        self.files.started = False
        if self.control is not None:
            await self.control.stop()
            self.control = None
        await self.tunnel.stop()
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        if self.receiver is not None:
            await self.receiver.stop()
        if self.engine is not None:
            await self.engine.stop()
        if self.ledger is not None:
            self.ledger.close()
        if self.services is not None:  # kept mail connections say goodbye (QUIT)
            await connections_of(self.services.shared).close()
        if self._http is not None:
            await self._http.close()
            self._http = None
        await self.store.close()
        if self._log_handler is not None:
            logfile.detach(self._log_handler)
            self._log_handler = None
        self._lock.release()

    # -- files ----------------------------------------------------------------------------

    def accounts(self) -> dict[str, dict[str, Any]]:
        """Accounts from accounts.json, re-read when the file changes (while it has a
        mistake, the accounts read last)."""
        return self.files.accounts()

    def reload_rules(self) -> list[LoadedRule]:
        """Read rules.json (and accounts.json) again and hand the rules to the engine.

        A file with a mistake changes nothing that runs: the rules read last keep
        running, the file stays as it is, and the mistake is told (console, window,
        tray); the tokens it names answer 503 until it is fixed."""
        return self._use_rules(self._read_rules(*self._accounts_for_rules()))

    async def reload_rules_in_thread(self) -> list[LoadedRule]:
        """`reload_rules` with the reading and checking off the loop (a rules.json full of
        long templates takes a while to check; deliveries are answered meanwhile)."""
        accounts, unknown = self._accounts_for_rules()  # on the loop: it may tell listeners
        return self._use_rules(await asyncio.to_thread(self._read_rules, accounts, unknown))

    def _accounts_for_rules(self) -> tuple[dict[str, dict[str, Any]] | None, str | None]:
        accounts, unknown = self.files.accounts(), self.files.accounts_unknown()
        return (None, unknown) if unknown else (accounts, None)

    def _read_rules(self, accounts: dict[str, dict[str, Any]] | None,
                    unknown: str | None) -> list[LoadedRule] | FileProblem | None:
        path = paths.rules_file(self.home)
        self.files.rules_mtime = mtime(path)
        try:
            return load_rules(path, self.registry, accounts, unknown)
        except FileProblem as exc:
            return exc
        except Exception:  # a bug in checking must not stop the rules that run
            log.exception("rules.json could not be checked")
            return None

    def _use_rules(self, read: list[LoadedRule] | FileProblem | None) -> list[LoadedRule]:
        engine = self.engine
        assert engine is not None
        if read is None:
            return engine.rules
        if isinstance(read, FileProblem):
            self.files.problem(read, _("Bellhop keeps running the rules it had until the file is "
                                       "fixed.")
                if engine.rules else _("Bellhop started without the rules in it; they start as "
                                       "soon as the file is fixed."))
            engine.hold_tokens(tokens_in_text(read.text))
            return engine.rules
        self.files.fixed(paths.rules_file(self.home))
        engine.set_rules(read)
        engine.hold_tokens(set())
        problems = tuple((rule.name, tuple(rule.problems)) for rule in read if rule.problems)
        engine.publish(RulesChanged(rules=len(read), problems=problems))
        for name, found in problems:
            log.warning("rule %s unavailable: %s", name, "; ".join(found))
        return read

    def _rules_to_edit(self) -> list[dict[str, Any]]:
        """The rules to change and save, read again first when rules.json changed since
        (a hand edit or `bellhop rule new` the poll has not picked up must not be lost)."""
        if self.files.changed():
            self.reload_rules()
        return [dict(rule.raw) for rule in self.list_rules()]

    def save_rules(self, raw_rules: list[dict[str, Any]]) -> list[LoadedRule]:
        """Write rules.json and start using it."""
        self.files.keep_broken_copy(paths.rules_file(self.home))
        save_rules(paths.rules_file(self.home), raw_rules)
        return self.reload_rules()

    def upsert_rule(self, raw: dict[str, Any], position: int | None = None) -> LoadedRule:
        """Save one rule: replacing the one with its id, else added at `position` (or last)."""
        raw_rules = self._rules_to_edit()
        for index, existing in enumerate(raw_rules):
            if existing.get("id") == raw.get("id"):
                raw_rules[index] = raw
                break
        else:
            raw_rules.insert(len(raw_rules) if position is None else position, raw)
        loaded = self.save_rules(raw_rules)
        return next(rule for rule in loaded if rule.id == raw.get("id"))

    def delete_rule(self, rule_id: str) -> tuple[dict[str, Any], int] | None:
        """Remove a rule; returns what it was and where (for undo), or None."""
        raw_rules = self._rules_to_edit()
        for position, raw in enumerate(raw_rules):
            if raw.get("id") == rule_id:
                self.save_rules(raw_rules[:position] + raw_rules[position + 1:])
                return raw, position
        return None

    async def store_secret(self, name: str, value: str) -> None:
        """Keep a secret in the keychain (off the loop: keychains can be slow); deliveries
        checked from now on use the new value."""
        await asyncio.to_thread(set_secret, name, value)
        if self.receiver is not None:
            self.receiver.secrets.forget(name)

    async def test_rule(self, raw: dict[str, Any], sample: dict[str, Any]) -> RunRecord:
        """'Run test': the rule's steps on a sample event, for real, nothing stored.

        `sample` holds what a delivery brings: body, and optionally query, headers, method.
        """
        assert self.engine is not None
        rule = check_rule(raw, self.registry)
        received_at, received_ts = local_now()
        body = sample.get("body", {})
        event = EventRecord(
            id="ev_test", rule_id=rule.id, received_at=received_at, received_ts=received_ts,
            method=str(sample.get("method", "POST")), query=dict(sample.get("query", {})),
            headers={str(k).lower(): str(v) for k, v in dict(sample.get("headers", {})).items()},
            content_type="application/json", body=jsoncodec.dumps(body).encode(),
        )
        return await self.engine.test_run(rule, event, body)

    async def send_sample(self, rule_id: str, sample: dict[str, Any]) -> SampleSent:
        """'Send the sample to this rule': a real delivery to the saved rule's local address."""
        rule = self.engine.rule(rule_id) if self.engine is not None else None
        if rule is None or self.receiver is None or self._http is None:
            raise BellhopError(_("Save the rule first: it has no address yet."))
        return await send_sample(self.receiver, self._http, rule, sample)

    def set_account(self, name: str, account: dict[str, Any], secret: str | None = None) -> None:
        """Add or change an account; its password or token goes to the keychain, not the file."""
        if secret is not None:
            set_secret(name, secret)
        accounts = dict(self.accounts())
        accounts[name] = account
        self.files.keep_broken_copy(paths.accounts_file(self.home))
        save_accounts(paths.accounts_file(self.home), accounts)
        if self.engine is not None:
            self.reload_rules()  # rules that named this account may run now

    def delete_account(self, name: str) -> bool:
        """Remove an account and its keychain secret."""
        accounts = dict(self.accounts())
        if accounts.pop(name, None) is None:
            return False
        self.files.keep_broken_copy(paths.accounts_file(self.home))
        save_accounts(paths.accounts_file(self.home), accounts)
        with contextlib.suppress(BellhopError):
            delete_secret(name)
        if self.engine is not None:
            self.reload_rules()  # rules that named it now say so
        return True

    # -- Google -------------------------------------------------------------------------

    def import_google_key(self, name: str, key_text: str,
                          api_base: str | None = None) -> dict[str, Any]:
        """Add a Google service account from its key file's text (key to the keychain)."""
        entry = import_service_account(self.home, name, key_text, api_base)
        if self.services is not None:
            tokens_of(self.services.shared).forget(name.strip())
        if self.engine is not None:
            self.reload_rules()  # rules that named this account may run now
        return entry

    async def google_sign_in(self, name: str, client_id: str, client_secret: str,
                             open_browser: OpenBrowser, **addresses: str) -> dict[str, Any]:
        """'Sign in with Google' for account `name` (browser → loopback → keychain)."""
        assert self.services is not None
        entry = await sign_in_account(self.home, self.services.http, self.services.shared,
                                      name, client_id, client_secret, open_browser, **addresses)
        self.reload_rules()  # rules that named this account may run now
        return entry

    async def check_google(self, name: str, sheet: str) -> dict[str, Any]:
        """'Test connection': the tabs of a spreadsheet and their headers, through `name`."""
        assert self.services is not None
        account = self.accounts().get(name)
        if account is None or account.get("kind") != "google":
            raise ConfigError(_("There is no Google account called '{name}'.").format(
                name=name))
        return await describe_sheet(self.services.http, self.services.shared, name, account,
                                    sheet)

    def update_settings(self, **changes: Any) -> Settings:
        """Change and save settings (some, like the port, apply at the next start)."""
        if "start_at_login" in changes:  # the login item first: if it fails, nothing is saved
            set_start_at_login(bool(changes["start_at_login"]))
        self.settings = Settings.model_validate(self.settings.model_dump() | changes)
        save_settings(paths.settings_file(self.home), self.settings)
        return self.settings  # a new language applies at the next start, with the window's

    def has_secret(self, name: str) -> bool:
        """True when the keychain holds a secret under `name` (False if it cannot be read)."""
        try:
            get_secret(name)
        except BellhopError:
            return False
        return True

    async def missing_secrets(self) -> list[MissingSecret]:
        """The secrets the rules that are on, their accounts and the tunnel need but that
        cannot be found now (looked up off the loop: keychains can be slow)."""
        assert self.engine is not None
        rules = [rule.raw for rule in self.engine.rules if rule.enabled]
        needed = needed_secrets(rules, self.accounts(), self.registry, tunnel=self.tunnel.kind)
        return await asyncio.to_thread(find_missing, needed, get_secret)

    def keychain_problem(self) -> str | None:
        """A plain message when no keychain can keep passwords here, else None."""
        return None if keychain_available() else no_keychain_message()

    def list_rules(self) -> list[LoadedRule]:
        """The rules in use, each with its problems if it cannot run."""
        assert self.engine is not None
        return self.engine.rules

    def set_enabled(self, rule_id: str, enabled: bool) -> bool:
        """Turn a rule on or off (saved to rules.json); False when there is no such rule."""
        raw_rules = self._rules_to_edit()
        for raw in raw_rules:
            if raw.get("id") == rule_id:
                raw["enabled"] = enabled
                self.save_rules(raw_rules)
                return True
        return False

    async def _watch_rules(self) -> None:
        # People edit rules.json and accounts.json by hand while Bellhop runs: pick
        # changes up. Nothing a file holds may stop this loop.
        while True:
            await asyncio.sleep(RULES_POLL_SECONDS)
            try:
                if self.files.changed():
                    await self.reload_rules_in_thread()
            except Exception:
                log.exception("could not reload rules.json")

    # -- what the window and the CLI use --------------------------------------------------

    def hook_url(self, rule: LoadedRule, base: str | None = None) -> str:
        """The webhook address of a rule: `<base>/hooks/<token>` (public when the tunnel is up)."""
        assert self.receiver is not None
        return f"{base or self.public_base() or self.receiver.base_url}/hooks/{rule.token}"

    def public_base(self) -> str | None:
        """The tunnel's public address while it is up, else None (hooks work only locally)."""
        return self.tunnel.public_url if self.tunnel.state == "up" else None

    async def check_public_url(self, timeout: float = 5.0) -> tuple[bool, float, str]:
        """'Check my URL': GET <public>/healthz from outside in; (ok, seconds, plain message)."""
        return await check_from_outside(self.public_base(), timeout)

    def subscribe(self, listener: Listener) -> None:
        """Listen to engine events, on the engine loop, for the service's life. Subscribed
        before `start`, a listener hears everything after the first reading of rules.json:
        the first delivery too."""
        if self.engine is None:
            self._first_listeners.append(listener)
        else:
            self.engine.subscribe(listener)

    async def recent_events(self, limit: int = 50, rule_id: str | None = None) -> list[EventRecord]:
        """Newest events first."""
        return await self.store.recent_events(limit, rule_id)

    async def runs_of_event(self, event_id: str) -> list[RunRecord]:
        """Every run of an event."""
        return await self.store.runs_of_event(event_id)


TUNNEL_SETTINGS = {"tunnel", "ngrok_domain", "ngrok_region", "ngrok_path"}


def _ngrok_token() -> str | None:
    # Read at each connect (in the tunnel's thread), so a newly pasted authtoken is used.
    try:
        return get_secret(NGROK_SECRET)
    except BellhopError:
        return None
