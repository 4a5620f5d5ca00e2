"""One delivery, from the request to the event to store: `admit`.

Both paths (the fast path and aiohttp's) hand the receiver a rule and the request's
method, headers, query and body. `admit` takes them through what decides the answer,
in order, and makes the event:

1. who sent it: the rule's settings (`LoadedRule.body_needs`) and the sender its
   headers declare (LINE and Stripe sign every delivery, whether or not the rule
   checks it); never the body's bytes;
2. the signature, when the rule checks one (on the body bytes as they came);
3. the body: parsed where the answer reads it, only checked (`check_body`) elsewhere;
4. LINE's Verify (answered 200, nothing stored) and SurveyCake's fields;
5. the sender's delivery id, which dedupe goes by (bellhop.core.inbox.dedupe);
6. the event: query and headers as text SQLite can store, credentials hidden.

A delivery that ends here comes back `Answered` (core/inbox/answers.py); the receiver
tells the person what they should know (a refusal, an address check). `admit_with_secret`
fetches a signing secret from the keychain first.
"""

from __future__ import annotations

import time
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bellhop.core.errors import BellhopError
from bellhop.core.events import local_now
from bellhop.core.i18n import _
from bellhop.core.inbox.answers import Admitted, Answer, Answered, refusal, rule_has_a_problem
from bellhop.core.inbox.credentials import header_values
from bellhop.core.inbox.dedupe import delivery_id
from bellhop.core.inbox.fastpath import LowerHeaders
from bellhop.core.inbox.verify import Rejected, check_delivery
from bellhop.core.platform.secrets import CachedSecrets
from bellhop.core.running.payload import BadPayload, check_body, media_type
from bellhop.core.running.rules import BodySender, LoadedRule
from bellhop.core.storage.records import EventRecord, clean_text, new_id

Headers = CIMultiDict[str] | CIMultiDictProxy[str] | LowerHeaders

# Headers that LINE and Stripe send with every delivery: the delivery declares its sender.
# Lower case, as the fast path holds them (aiohttp's headers match any case).
LINE_SIGNATURE = "x-line-signature"
STRIPE_SIGNATURE = "stripe-signature"

ADDRESS_CHECKED = Answer(200, b'{"ok": true}')  # LINE's Verify: yes, and nothing runs


def admit(rule: LoadedRule, method: str, headers: Headers, query_string: str, raw: bytes,
          secret: str | None = None, *, sample: bool = False) -> Admitted | Answered:
    """The delivery checked as the rule says and made into its event; or its answer.

    `secret` is the rule's signing secret when it checks signatures. A `sample` (the
    rule listens for one) is checked for nothing, read for no id and kept whatever it
    holds, even for a rule whose settings have a mistake; only LINE's Verify is none.
    """
    needs = rule.body_needs
    trigger = None if sample else rule.head.trigger  # type: ignore[union-attr]  # the gate's
    line = needs.line or LINE_SIGNATURE in headers
    ids: tuple[BodySender, ...] = ()
    if trigger is not None:
        if trigger.verify is not None:
            if secret is None:
                raise ValueError("a rule that checks signatures needs its secret")
            try:
                check_delivery(trigger.verify, secret, raw, headers, time.time())
            except Rejected as exc:
                return Answered(refusal(401, _("This delivery could not be verified.")), rule,
                                refused="signature", detail=exc.reason)
        ids = needs.ids
        if needs.dedupe:  # the sender the headers declare: its id in the body too
            if line and "line" not in ids:
                ids = (*ids, "line")
            if "stripe" not in ids and STRIPE_SIGNATURE in headers:
                ids = (*ids, "stripe")

    content_type = headers.get("Content-Type", "")
    body: Any = None
    try:  # a sample is refused nothing, and read only to tell LINE's Verify
        body = check_body(raw, content_type, trigger.invalid_json if trigger else "text",
                          parse=line or bool(ids) or needs.surveycake)
    except BadPayload as exc:
        if trigger is not None:
            return Answered(refusal(400, str(exc)), rule,
                            refused="bad_json" if exc.json else "bad_form", detail=str(exc))

    is_line = line and (isinstance(body, dict) and isinstance(body.get("destination"), str)
                        and isinstance(body.get("events"), list))
    if is_line and not body["events"]:  # LINE's Verify: say yes, store and run nothing
        return Answered(ADDRESS_CHECKED, rule, address_check=None if sample else "LINE")
    if trigger is None:
        delivery = None
    else:
        if needs.surveycake and not (
                isinstance(body, dict) and body.get("svid") and body.get("hash")):
            return Answered(refusal(
                400, _("This address expects SurveyCake's svid and hash fields.")), rule,
                refused="surveycake")
        delivery = delivery_id(headers, body, trigger.dedupe, ids)

    verify = rule.head.trigger.verify if rule.head is not None else None
    # yarl reads the query on both paths: `+`, `%xx` and repeats agree.
    query = (URL.build(path="/", query_string=query_string, encoded=True).query
             if query_string else {})
    received_at, received_ts = local_now()
    event = EventRecord(
        id=new_id("ev"), rule_id=rule.id, received_at=received_at, received_ts=received_ts,
        method=method, query={clean_text(k): clean_text(v) for k, v in query.items()},
        headers=header_values(headers, verify),
        content_type=clean_text(media_type(content_type)), body=raw, delivery_id=delivery,
        state="sample" if sample else "new",
    )
    if sample:
        return Admitted(rule, event, None)
    return Admitted(rule, event, body, 200 if is_line else 202)


async def admit_with_secret(rule: LoadedRule, secrets: CachedSecrets, method: str,
                            headers: Headers, query_string: str, raw: bytes, *,
                            sample: bool = False) -> Admitted | Answered:
    """`admit`, after the rule's signing secret is fetched from the keychain (a rule that
    checks signatures; the fetch is why this is a coroutine). No such secret: 503, and
    the sender tries again later."""
    verify = None if sample else rule.head.trigger.verify  # type: ignore[union-attr]
    try:
        secret = await secrets.get(verify.secret) if verify is not None else None
    except BellhopError as exc:
        return Answered(rule_has_a_problem(), rule, refused="no_secret", detail=exc.message)
    return admit(rule, method, headers, query_string, raw, secret, sample=sample)
