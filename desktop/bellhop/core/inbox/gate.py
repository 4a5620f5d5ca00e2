"""The gate: which rule a delivery is for, and whether it takes it now.

Decided from the address and the method alone, before the body is read: an unknown
address, a rule that is off or has a problem, a method the trigger does not take are
turned away here, whatever the body holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bellhop.core.i18n import _
from bellhop.core.inbox.answers import Answered, refusal, rule_has_a_problem
from bellhop.core.running.rules import LoadedRule

if TYPE_CHECKING:
    from bellhop.core.running.engine import Engine

MAX_TOKEN = 128  # longer is no rule's: not even looked up


def gate(engine: Engine, token: str, method: str) -> LoadedRule | Answered:
    """The rule behind the token if it takes this request now; else the refusal.

    A rule waiting for a sample takes anything, whatever its settings."""
    known = len(token) <= MAX_TOKEN
    rule = engine.route(token) if known else None
    if rule is None:
        if known and engine.is_held(token):  # its rule is in a rules.json with a mistake
            return Answered(rule_has_a_problem(), refused="held")
        off = engine.rule_of_token(token) if known else None
        return Answered(refusal(404, _("Nothing here.")), off,
                        refused="off" if off is not None else "unknown")
    if rule.id in engine.capturing:
        return rule
    head = rule.head
    if head is None or not rule.available:
        # The sender retries on 503, so the delivery comes back once the rule is fixed.
        return Answered(rule_has_a_problem(), rule, refused="problem")
    methods = head.trigger.methods
    if method not in methods:
        return Answered(refusal(
            405, _("This address does not take {method} requests.").format(method=method),
            Allow=", ".join(methods)), rule, refused="method", detail=method,
            allowed=tuple(methods))
    return rule
