"""Who can reach a rule's address, and what to do about it.

With the tunnel open the address is public: the trigger card says exactly where to paste
it for the service that sends to this rule. Without it the address works only on this
computer, so the card says so plainly and offers to connect the tunnel, and to send the
rule its own sample so it can be tried without the service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from bellhop.core.events import EngineEvent, TunnelChanged
from bellhop.core.i18n import _
from bellhop.core.inbox.sample_send import SampleSent
from bellhop.core.running.fieldlabels import sender_of
from bellhop.ui.bridge import EngineBridge
from bellhop.ui.rules.problems import plain
from bellhop.ui.theme import BAD, OK

if TYPE_CHECKING:
    from bellhop.ui.rules.page import RulesPage

SIGNED_SENDERS = ("shopify", "line", "github", "stripe")


def rule_sender(raw: Mapping[str, Any], sample: Mapping[str, Any] | None) -> str | None:
    """The service that sends to this rule: from its trigger's settings, else its sample."""
    trigger = raw.get("trigger") if isinstance(raw.get("trigger"), Mapping) else {}
    verify = trigger.get("verify") if isinstance(trigger.get("verify"), Mapping) else {}
    if verify.get("scheme") in SIGNED_SENDERS:
        return str(verify["scheme"])
    if isinstance(trigger.get("surveycake"), Mapping):
        return "surveycake"
    steps = raw.get("steps") if isinstance(raw.get("steps"), list) else []
    if any(isinstance(step, Mapping) and step.get("type") == "line_reply" for step in steps):
        return "line"
    if sample:
        headers = sample.get("headers")
        return sender_of(headers if isinstance(headers, Mapping) else None, sample.get("body"))
    return None


def paste_hint(sender: str | None) -> str:
    """Where exactly to paste a public address for this sender."""
    if sender == "shopify":
        return _("Paste it into Shopify: Settings → Notifications → Webhooks → Create "
                 "webhook, with the format JSON.")
    if sender == "line":
        return _("Paste it into the LINE Developers console: your channel → Messaging API → "
                 "Webhook URL, turn on “Use webhook”, then press Verify.")
    if sender == "github":
        return _("Paste it into GitHub: the repository's Settings → Webhooks → Add webhook "
                 "(Payload URL), with the content type application/json.")
    if sender == "stripe":
        return _("Paste it into Stripe: Developers → Webhooks → Add endpoint.")
    if sender == "surveycake":
        return _("Paste it into SurveyCake: the survey's settings → Webhook.")
    return _("Paste it where the service asks for a webhook address (often under Settings "
             "→ Webhooks or Notifications).")


@dataclass(frozen=True)
class Reach:
    """What the trigger says about its address: public or not, the words, the offers."""

    public: bool
    short: str  # on the trigger card
    long: str  # in the trigger's settings
    connect: bool  # offer "Connect the tunnel"


def describe_reach(state: str, reason: str, sender: str | None) -> Reach:
    """The words for the tunnel's state ("up", "connecting", "down", "off")."""
    if state == "up":
        hint = paste_hint(sender)
        return Reach(True, hint, hint, False)
    if state == "connecting":
        text = _("The tunnel is connecting: until it is open, this address works only on "
                 "this computer.")
        return Reach(False, text, text, False)
    if state == "down":
        return Reach(False, _("The tunnel is down: this address works only on this computer."),
                     _("The tunnel is down ({reason}), so this address works only on this "
                       "computer: services on the internet cannot reach it.").format(
                         reason=reason.rstrip(".")), True)
    return Reach(False, _("Works only on this computer: services on the internet cannot "
                          "reach it."),
                 _("This address works only on this computer: Shopify and other services on "
                   "the internet cannot reach it. Connect the tunnel to get a public "
                   "address, or send the rule its sample to try it here."), True)


class ReachKeeper(QObject):
    """The open rule's address on the Rules page: it follows the tunnel, says who can reach
    it, connects the tunnel, and sends the rule its sample."""

    changed = Signal()  # the tunnel's state changed
    setupRequested = Signal()  # show Accounts › Tunnel

    def __init__(self, bridge: EngineBridge, page: RulesPage) -> None:
        super().__init__(page)
        self.bridge, self.page = bridge, page
        self.state, self.reason = "off", ""
        # Rules whose public address changed (a new tunnel address) and was not copied since.
        self.moved_addresses: set[str] = set()
        self._public_base: str | None = None
        bridge.started.connect(
            lambda: bridge.call_plain(lambda s: s.tunnel.snapshot(), self._show_tunnel))
        bridge.engineEvents.connect(self._on_events)
        self.changed.connect(self.show_reach)
        for source in (page.chain.trigger_card, page.inspector.trigger):
            source.urlCopied.connect(self._copied)
            source.connectRequested.connect(self.connect_tunnel)
            source.sendRequested.connect(self.send_sample)

    # -- the tunnel ----------------------------------------------------------------------

    def _on_events(self, batch: list[EngineEvent]) -> None:
        for event in batch:
            if isinstance(event, TunnelChanged) and event.progress is None:
                self._show_tunnel(event)

    def _show_tunnel(self, tunnel: TunnelChanged) -> None:
        state = tunnel.state or "off"
        if (state, tunnel.reason) != (self.state, self.reason):
            self.state, self.reason = state, tunnel.reason
            self.changed.emit()

    def on_tunnel(self, tunnel: TunnelChanged) -> None:
        """A new public address: show it everywhere, and mark the rules that must be told."""
        if tunnel.progress is not None:
            return
        base = tunnel.public_url if tunnel.state == "up" else None
        page = self.page
        if tunnel.url_changed:
            self.moved_addresses |= {rule_id for rule_id, summary in page.summaries.items()
                                     if summary.url}
        if base != self._public_base or tunnel.url_changed:
            self._public_base = base
            page.refresh()

    def connect_tunnel(self) -> None:
        """Try a tunnel that is down again; otherwise show where it is set up."""
        if self.state == "down":
            self.bridge.call_plain(lambda s: s.retry_tunnel())
        else:
            self.setupRequested.emit()

    # -- the open rule's address -----------------------------------------------------------

    def describe(self, sender: str | None) -> Reach:
        """The words for the tunnel as it is now."""
        return describe_reach(self.state, self.reason, sender)

    def show_current(self) -> None:
        """The open rule's address (it follows the tunnel), whether it is new, who can reach
        it."""
        page = self.page
        draft = page.draft
        summary = page.summaries.get(draft.id) if draft is not None else None
        url = summary.url if summary is not None else ""
        card = page.chain.trigger_card
        card.set_url(url)
        card.set_address_changed(summary is not None and summary.address_changed)
        if draft is not None and page.inspector.trigger.rule_id == draft.id:
            page.inspector.trigger.set_url(url)
        self.show_reach()

    def show_reach(self) -> None:
        """Who can reach the open rule's address, on its card and in its settings."""
        page = self.page
        draft = page.draft
        reach = self.describe(rule_sender(draft.raw, page.context.sample)
                              if draft is not None else None)
        page.chain.trigger_card.show_reach(reach.public, reach.short, reach.connect)
        page.inspector.trigger.show_reach(reach.public, reach.long, reach.connect)

    def _copied(self) -> None:
        page = self.page
        draft = page.draft
        if draft is None:
            return
        if not page.chain.trigger_card.public:
            page.say(_("Copied. This address works only on this computer: a service on the "
                       "internet cannot reach it. Connect the tunnel for a public address."),
                     "problem")
        if draft.id not in self.moved_addresses:
            return
        self.moved_addresses.discard(draft.id)
        summary = page.summaries.get(draft.id)
        if summary is not None:
            summary.address_changed = False
            page.rule_list.update_summary(summary)
        page.chain.trigger_card.set_address_changed(False)

    # -- sending the sample -----------------------------------------------------------------

    def send_sample(self) -> None:
        """'Send the sample to this rule': a real delivery to its saved address."""
        page = self.page
        draft = page.draft
        if draft is None:
            return
        if page.lacks_sample():
            return
        rule_id, sample = draft.id, dict(page.context.sample or {})
        self._say(rule_id, _("Sending the sample…"), "info")
        self.bridge.call(lambda s: s.send_sample(rule_id, sample),
                         lambda sent: self._sent(rule_id, sent),
                         lambda error: self._say(rule_id, plain(error), "failed"))

    def _sent(self, rule_id: str, sent: SampleSent) -> None:
        text = sent.message
        draft = self.page.drafts.get(rule_id)
        if draft is not None and draft.dirty:
            text += " " + _("(It went to the rule as last saved: save to try your changes.)")
        self._say(rule_id, text, "ok" if sent.taken else "failed")

    def _say(self, rule_id: str, text: str, kind: str) -> None:
        page = self.page
        page.say(text, kind, rule_id)
        if page.draft is not None and page.draft.id == rule_id:
            page.inspector.trigger.say_sent(text, {"ok": OK, "failed": BAD}.get(kind, ""))
