"""A rule's trigger as n8n nodes: the Webhook node, and what n8n cannot do in it.

The Webhook node listens on the rule's token as its path, for the rule's methods, and
answers at once (as Bellhop does), with the rule's own answer when it has one. A check
n8n has no node for (a signing secret's signature, SurveyCake's decryption) becomes a
Code node that stops every run until someone writes it: nothing runs on a delivery that
was not checked, or with answers that were not read.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from bellhop.core.export.n8n_building import NAMESPACE, Building, Node, base_node, js_comment
from bellhop.core.i18n import _

_SIGNED = {"shopify": "Shopify", "line": "LINE", "github": "GitHub", "stripe": "Stripe",
           "slack": "Slack", "standard": "Standard Webhooks"}


def webhook_node(trigger: Mapping[str, Any], build: Building, name: str) -> Node:
    """The Webhook node: the rule's token as its path, its methods and its answer."""
    methods = list(trigger.get("methods") or ["POST"])
    parameters: dict[str, Any] = {"path": trigger["token"], "responseMode": "onReceived"}
    if len(methods) == 1:
        parameters["httpMethod"] = methods[0]
    else:
        parameters["multipleMethods"] = True
        parameters["httpMethod"] = methods
    options: dict[str, Any] = {}
    respond = trigger.get("respond")
    if isinstance(respond, Mapping):
        status = int(respond.get("status", 200))
        code = {"responseCode": status} if status in (200, 201, 204) else {
            "responseCode": "customCode", "customCode": status}
        options["responseCode"] = {"values": code}
        options["responseData"] = str(respond.get("body", "ok"))
        options["responseHeaders"] = {"entries": [{
            "name": "Content-Type",
            "value": str(respond.get("content_type", "text/plain; charset=utf-8"))}]}
    verify = trigger.get("verify")
    node = base_node(name, "webhook", 2, parameters, build.node_id())
    node["webhookId"] = str(uuid.uuid5(NAMESPACE, str(trigger["token"])))
    if isinstance(verify, Mapping):
        scheme, secret = str(verify.get("scheme")), str(verify.get("secret"))
        if scheme == "basic":
            parameters["authentication"] = "basicAuth"
            node["credentials"] = build.credential(
                "httpBasicAuth", secret, {"user": verify.get("username", "")}, ["password"])
        elif scheme == "header":
            parameters["authentication"] = "headerAuth"
            node["credentials"] = build.credential(
                "httpHeaderAuth", secret, {"name": verify.get("header", "")}, ["value"])
        else:
            options["rawBody"] = True  # what a signature is computed over
    parameters["options"] = options
    return node


def signature_node(verify: Mapping[str, Any], build: Building, name: str) -> Node:
    """A Code node that stops every run until someone writes the sender's signature check."""
    service = _SIGNED.get(str(verify.get("scheme")), str(verify.get("scheme")))
    build.tell(_("Trigger"), _(
        "Bellhop checked that each delivery really comes from {service} (the signature, with "
        "the secret “{secret}”); n8n has no node for that. Write the check in the {code} node "
        "“{node}” (it stops every run until then), or delete that node if you accept "
        "unsigned deliveries.").format(service=service, secret=verify.get("secret"), node=name,
                                       code="Code"))
    lines = [
        _("Bellhop checked the {service} signature of every delivery, with the secret "
          "saved as “{secret}”.").format(service=service, secret=verify.get("secret")),
        # {field}, {option}: as n8n's editor names them, in English.
        _("n8n has no node for this check: write it here. The delivery's exact bytes are in "
          "the Webhook node's binary field “{field}” (its “{option}” option is on).").format(
            field="data", option="Raw Body"),
        _("Until then this node stops every run, so nothing happens on an unchecked "
          "delivery. Delete the node if you accept unsigned deliveries."),
    ]
    code = js_comment(lines) + "throw new Error(" + json.dumps(
        _("The signature check is not written yet: open the node “{node}”.").format(node=name),
        ensure_ascii=False) + ");\n"
    return base_node(name, "code", 2, {"jsCode": code}, build.node_id())


def surveycake_node(option: Mapping[str, Any], build: Building, name: str) -> Node:
    """A Code node where SurveyCake's answers would be fetched and decrypted."""
    build.tell(_("Trigger"), _(
        "Bellhop fetched and decrypted the SurveyCake answers (keys “{hash_key}” and "
        "“{iv_key}”); n8n has no node for that. Write it in the {code} node “{node}”: until "
        "then it stops every run, since later steps read the answers.").format(
        hash_key=option.get("hash_key"), iv_key=option.get("iv_key"), node=name, code="Code"))
    lines = [
        _("Bellhop fetched the answers from https://{domain}/webhook/v0/<svid>/<hash> and "
          "decrypted them (AES-128-CBC) with the keys saved as “{hash_key}” and "
          "“{iv_key}”.").format(domain=option.get("domain", "www.surveycake.com"),
                                hash_key=option.get("hash_key"), iv_key=option.get("iv_key")),
        _("Later nodes read them as body.answers: put them there, then return the items."),
    ]
    code = js_comment(lines) + "throw new Error(" + json.dumps(
        _("The SurveyCake answers are not fetched yet: open the node “{node}”.").format(
            node=name), ensure_ascii=False) + ");\n"
    return base_node(name, "code", 2, {"jsCode": code}, build.node_id())
