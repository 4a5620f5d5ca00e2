"""A rule's cards as n8n nodes, and what each leaves for a person to do.

Nodes are written in the shapes of n8n 2.x (If 2.2, Send Email 2.1, Google Sheets 4.3,
HTTP Request 4.2, Code 2, Sticky Note 1). A card n8n has no node for (a LINE reply, a
row in a file, a desktop notice, a chat message) becomes a Code node holding the card's
settings that lets the run go on without it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from bellhop.core.errors import PermanentError
from bellhop.core.export.n8n_building import Building, Node, base_node, js_comment
from bellhop.core.i18n import _
from bellhop.core.services.sheets import spreadsheet_id


def if_node(step: Mapping[str, Any], build: Building, name: str, where: str,
            label_of: Callable[[str], str]) -> Node:
    """A filter as an If node: every condition, all or any."""
    conditions = [c for c in step.get("conditions") or [] if isinstance(c, Mapping)]
    # Bellhop compares text exactly ("is") but finds words in any case ("contains"):
    # one If node has one setting, so the other kind lower-cases both sides itself.
    exact = any(c.get("op") in ("eq", "ne") and _kind(c.get("value")) == "string"
                for c in conditions)
    place = f"{where} › {label_of('conditions')}"
    written = [_condition(c, build, place, exact) for c in conditions]
    parameters = {
        "conditions": {
            "options": {"caseSensitive": exact, "leftValue": "", "typeValidation": "loose",
                        "version": 2},
            "conditions": written,
            "combinator": "or" if step.get("match") == "any" else "and",
        },
        "looseTypeValidation": True,
        "options": {"ignoreCase": not exact},
    }
    return base_node(name, "if", 2.2, parameters, build.node_id())


_NUMBER_OPS = {"eq": "equals", "ne": "notEquals", "gt": "gt", "ge": "gte", "lt": "lt",
               "le": "lte"}


def _kind(value: Any) -> str:
    """How a condition's value compares: 'number', 'boolean', 'template' or 'string'."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str) and "{{" in value:
        return "template"
    if isinstance(value, str):
        try:
            float(value.replace(",", "").strip())
        except ValueError:
            return "string"
        return "number"
    return "string"


def _number(value: Any) -> int | float:
    number = float(str(value).replace(",", "").strip())
    return int(number) if number.is_integer() else number


def _condition(condition: Mapping[str, Any], build: Building, place: str,
               exact: bool) -> dict[str, Any]:
    """One condition of an If node: the field, the test and what it is compared with."""
    op = str(condition.get("op") or "eq")
    value = condition.get("value")
    left_js = build.field_js(str(condition.get("field") or ""), place)
    left = "={{ " + left_js + " }}"
    kind = _kind(value)
    right: Any = "" if value is None else value
    if kind == "template":
        right = build.template(value, place)
    if op in ("is_empty", "not_empty"):
        operator = {"type": "string", "operation": "empty" if op == "is_empty" else "notEmpty",
                    "singleValue": True}
        right = ""
    elif op in ("gt", "ge", "lt", "le") or (op in ("eq", "ne") and kind in ("number",
                                                                               "template")):
        if kind == "string":
            build.tell(place, _(
                "“{field}” is compared with the text “{value}”: Bellhop put texts in "
                "alphabetical order, n8n compares numbers here. Check this condition.").format(
                field=condition.get("field"), value=value))
        operator = {"type": "number", "operation": _NUMBER_OPS[op]}
        right = _number(value) if kind == "number" else right
    elif op in ("eq", "ne") and kind == "boolean":
        operator = {"type": "boolean", "operation": "equals" if op == "eq" else "notEquals",
                    "rightType": "boolean"}
    elif op in ("eq", "ne"):
        operator = {"type": "string", "operation": "equals" if op == "eq" else "notEquals"}
        right = "" if value is None else str(value)
    else:  # contains, starts_with: in any case, as Bellhop finds them
        operator = {"type": "string",
                    "operation": "contains" if op == "contains" else "startsWith"}
        if kind != "template":
            right = "" if value is None else str(value)
        if exact:
            left = "={{ String(" + left_js + " ?? '').toLowerCase() }}"
            right = _lower(right, kind)
    return {"id": build.node_id(), "leftValue": left, "rightValue": right,
            "operator": operator}


def _lower(right: str, kind: str) -> str:
    """The value a field is searched for, in lower case: a text, or one field's value (a
    template mixing text and fields is left as it is)."""
    if kind != "template":
        return right.lower()
    inner = right[4:-3] if right.startswith("={{ ") and right.endswith(" }}") else ""
    if inner and "{{" not in inner and "}}" not in inner:
        return "={{ String(" + inner + " ?? '').toLowerCase() }}"
    return right


def email_node(step: Mapping[str, Any], build: Building, name: str, where: str,
               label_of: Callable[[str], str]) -> Node:
    """Send email through the SMTP credential named after the Bellhop account."""
    account_name = str(step.get("account") or "")
    account = build.accounts.get(account_name) or {}
    sender = str(account.get("from") or account.get("username") or "")
    if not sender:
        # {field}: the label in n8n's editor, which is in English.
        build.tell(where, _("The email account “{account}” has no sender address Bellhop "
                            "knows: fill in “{field}” in n8n.").format(
            account=account_name, field="From Email"))

    def value(key: str) -> str:
        return build.template(str(step.get(key) or ""), f"{where} › {label_of(key)}")

    html = str(step.get("html") or "")
    parameters: dict[str, Any] = {
        "resource": "email", "operation": "send", "fromEmail": sender,
        "toEmail": value("to"), "subject": value("subject"),
        "emailFormat": "both" if html else "text", "text": value("body"),
    }
    if html:
        parameters["html"] = value("html")
    options: dict[str, Any] = {"appendAttribution": False}
    for key, option in (("cc", "ccEmail"), ("bcc", "bccEmail"), ("reply_to", "replyTo")):
        if step.get(key):
            options[option] = value(key)
    parameters["options"] = options
    node = base_node(name, "emailSend", 2.1, parameters, build.node_id())
    security = str(account.get("security") or "starttls")
    data = {"host": account.get("host", ""), "port": account.get("port", 587),
            "user": account.get("username", ""), "secure": security == "ssl",
            "disableStartTls": security == "none"}
    node["credentials"] = build.credential(
        "smtp", account_name, data, ["password"] if account.get("username") else [])
    return node


def sheet_node(step: Mapping[str, Any], build: Building, name: str, where: str,
               label_of: Callable[[str], str]) -> Node:
    """Append a row to Google Sheets: the same spreadsheet, tab and columns."""
    account_name = str(step.get("account") or "")
    account = build.accounts.get(account_name) or {}
    columns = {str(header): build.template(str(text), f"{where} › {header}")
               for header, text in dict(step.get("columns") or {}).items()}
    try:
        document = spreadsheet_id(str(step.get("spreadsheet") or ""))
    except PermanentError as exc:
        document = ""
        build.tell(where, _("{problem} Choose the spreadsheet in n8n.").format(
            problem=exc.message))
    if step.get("add_missing_columns"):
        build.tell(where, _("Bellhop added missing columns to the tab; n8n does not: make sure "
                            "the tab's first row has every column."))
    parameters = {
        "resource": "sheet", "operation": "append",
        "documentId": {"__rl": True, "mode": "id", "value": document},
        "sheetName": {"__rl": True, "mode": "name", "value": str(step.get("sheet") or "Sheet1")},
        "columns": {
            "mappingMode": "defineBelow", "value": columns, "matchingColumns": [],
            "schema": [{"id": header, "displayName": header, "required": False,
                        "defaultMatch": False, "display": True, "type": "string",
                        "canBeUsedToMatch": True} for header in columns],
        },
        "options": {"cellFormat": "RAW" if step.get("values") == "text" else "USER_ENTERED"},
    }
    oauth = account.get("auth") == "oauth"
    parameters["authentication"] = "oAuth2" if oauth else "serviceAccount"
    # 4.3: later versions stop when the tab's columns are in another order than the
    # node's list, where Bellhop (and this version) match the columns by name.
    node = base_node(name, "googleSheets", 4.3, parameters, build.node_id())
    if oauth:
        node["credentials"] = build.credential(
            "googleSheetsOAuth2Api", account_name, {"clientId": account.get("client_id", "")},
            ["clientSecret"])
    else:
        node["credentials"] = build.credential(
            "googleApi", account_name, {"email": account.get("client_email", "")},
            ["privateKey"])
    return node


def http_node(step: Mapping[str, Any], build: Building, name: str, where: str,
              label_of: Callable[[str], str]) -> Node:
    """Call a web address, its answer kept whole (status, headers, body) for later steps."""
    def value(key: str, text: Any) -> str:
        return build.template(str(text or ""), f"{where} › {label_of(key)}")

    method = str(step.get("method") or "POST").upper()
    parameters: dict[str, Any] = {"method": method, "url": value("url", step.get("url"))}
    headers = dict(step.get("headers") or {})
    if headers:
        parameters["sendHeaders"] = True
        parameters["headerParameters"] = {"parameters": [
            {"name": str(key), "value": value("headers", text)} for key, text in headers.items()]}
    body = str(step.get("body") or "")
    if body and method != "GET":
        parameters["sendBody"] = True
        body_type = step.get("body_type") or "json"
        if body_type == "json":
            parameters.update(contentType="json", specifyBody="json",
                              jsonBody=value("body", body))
        elif body_type == "form":
            if body.lstrip().startswith("{"):
                build.tell(f"{where} › {label_of('body')}", _(
                    "n8n sends a form body written as name=value pairs joined by &, not as "
                    "a JSON object: rewrite it in n8n."))
            parameters.update(contentType="form-urlencoded", specifyBody="string",
                              body=value("body", body))
        else:
            parameters.update(contentType="raw", rawContentType="text/plain; charset=utf-8",
                              body=value("body", body))
    timeout = step.get("timeout")
    parameters["options"] = {
        "timeout": int(float(timeout if timeout is not None else 30) * 1000),
        "response": {"response": {"fullResponse": True}},
    }
    return base_node(name, "httpRequest", 4.2, parameters, build.node_id())


def errand_node(step: Mapping[str, Any], build: Building, name: str, where: str,
                label_of: Callable[[str], str], card: str) -> Node:
    """A card n8n has no node for: a Code node holding its settings, letting the run go on."""
    # {code}, {http}: names of n8n's nodes, which its editor shows in English.
    build.tell(where, _("n8n has no node for this card: its settings are in the {code} node "
                        "“{node}”, which does nothing until you replace it (for example with "
                        "a node of your chat service or an {http} node).").format(
        node=name, code="Code", http="HTTP Request"))
    lines = [_("Bellhop's card “{card}” did this step; n8n has no node for it.").format(
        card=card), _("Its settings, with fields as n8n expressions:")]
    for key, text in step.items():
        if key in ("type", "name", "retry"):
            continue
        place = f"{where} › {label_of(key)}"
        if isinstance(text, str):
            shown = build.template(text, place)
        elif isinstance(text, dict):  # columns, headers: each value a template
            shown = json.dumps({name: build.template(v, f"{place} › {name}")
                                if isinstance(v, str) else v for name, v in text.items()},
                               ensure_ascii=False)
        else:
            shown = json.dumps(text, ensure_ascii=False)
        lines.append(f"  {key}: {shown}")
    lines.append(_("Replace this node with one that does the same; until then the run goes "
                   "on without it."))
    code = js_comment(lines) + "return $input.all();\n"
    return base_node(name, "code", 2, {"jsCode": code}, build.node_id())


def sticky_note(text: str, build: Building, width: int) -> Node:
    """A note on the canvas: where the workflow comes from and what is left to do."""
    node = base_node(_("Exported from Bellhop"), "stickyNote", 1,
                     {"content": text, "height": 80 + 22 * text.count("\n"), "width": width,
                      "color": 3}, build.node_id())
    node["position"] = [-40, -40 - node["parameters"]["height"]]
    return node
