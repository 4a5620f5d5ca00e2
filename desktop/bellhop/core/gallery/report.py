"""The gallery, and a rule just added from it, as lines for the command line."""

from __future__ import annotations

from bellhop.core.cards import Registry
from bellhop.core.gallery.adding import AddedRule
from bellhop.core.gallery.needs import needs_in_words
from bellhop.core.gallery.starters import STARTERS, Starter, new_rule
from bellhop.core.i18n import _


def template_lines(registry: Registry) -> list[str]:
    """Each template: its name for --template and its title, what it does, what it needs."""
    lines = [_("Ready-made rules. Add one with: bellhop rule new --template NAME "
               "[--name \"…\"]"), ""]
    for starter in STARTERS:
        lines.append(f"{starter.key} — {starter.label()}")
        lines.append("    " + starter.blurb())
        needs = needs_in_words(new_rule(starter, starter.key), registry)
        if needs:
            lines.append("    " + _("It needs:"))
            lines.extend("      • " + need for need in needs)
        else:
            lines.append("    " + _("It needs nothing more."))
        lines.append("")
    return lines[:-1]


def added_lines(added: AddedRule, starter: Starter, address: str, public: bool) -> list[str]:
    """What `bellhop rule new` made: the rule, why it is off, and its webhook address."""
    name = str(added.raw["name"])
    lines = [_("Added the rule “{name}” from the template {template}.").format(
        name=name, template=starter.key)]
    if added.problems:
        lines.append(_("It stays off until these are fixed:"))
        lines.extend("  • " + problem for problem in added.problems)
        lines.append(_("Then turn it on: with its switch in the window (Rules), or with "
                       "\"enabled\": true in rules.json."))
    else:
        lines.append(_("It is on: it runs for every delivery to its address."))
    lines.append(_("Its webhook address: {url}").format(url=address))
    if not public:
        lines.append(_("This address works only on this computer. Services on the internet "
                       "(Shopify, LINE…) need the tunnel's public address: connect the tunnel "
                       "in the window (Accounts), or start with: bellhop serve --tunnel ngrok"))
    return lines
