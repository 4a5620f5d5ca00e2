"""`bellhop export n8n`: each card as its n8n node, the workflow around them, the report.

A real n8n imports and runs these workflows in tests/n8n (when it is installed); here
each mapping is checked on its own, with the shipped cards' registry.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bellhop.actions.registry import default_registry
from bellhop.cli import main
from bellhop.core.errors import BellhopError
from bellhop.core.export.n8n import (
    UnknownRules,
    choose_rules,
    credentials_json,
    export_rules,
    report_lines,
)

TOKEN = "tok_abcdefghijklmnopqrstuv"
SMTP = {"kind": "smtp", "host": "smtp.example.com", "port": 587, "security": "starttls",
        "username": "shop@example.com", "from": "Tea House <shop@example.com>"}
GOOGLE = {"kind": "google", "auth": "service_account",
          "client_email": "bot@tea.iam.gserviceaccount.com"}
ACCOUNTS = {"office": SMTP, "google": GOOGLE}
EMAIL = {"type": "send_email", "account": "office", "to": "warehouse@example.com",
         "subject": "Order {{ body.name }}", "body": "Total {{ body.total_price }}"}


def make_rule(steps: list[dict[str, Any]], **trigger: Any) -> dict[str, Any]:
    return {"id": "r1", "name": "Orders", "enabled": True,
            "trigger": {"type": "webhook", "token": TOKEN, "methods": ["POST"], **trigger},
            "steps": steps}


def export(*rules: dict[str, Any], accounts: dict[str, Any] | None = None) -> Any:
    return export_rules(list(rules), default_registry(),
                        ACCOUNTS if accounts is None else accounts)


def workflow_of(steps: list[dict[str, Any]], **trigger: Any) -> dict[str, Any]:
    [workflow] = export(make_rule(steps, **trigger)).workflows
    return workflow


def node(workflow: dict[str, Any], node_type: str, index: int = 0) -> dict[str, Any]:
    found = [n for n in workflow["nodes"] if n["type"] == f"n8n-nodes-base.{node_type}"]
    return found[index]


def attention(result: Any) -> list[str]:
    return [f"{item.where}: {item.text}" for item in result.attention]


# -- the trigger --------------------------------------------------------------------------

def test_webhook_listens_on_the_token_and_answers_at_once() -> None:
    webhook = node(workflow_of([EMAIL]), "webhook")
    assert webhook["parameters"] == {"path": TOKEN, "responseMode": "onReceived",
                                     "httpMethod": "POST", "options": {}}
    assert webhook["name"] == "Webhook" and webhook["typeVersion"] == 2


def test_the_rules_own_answer() -> None:
    webhook = node(workflow_of([EMAIL], respond={"status": 202, "body": "got it",
                                                 "content_type": "text/plain"}), "webhook")
    assert webhook["parameters"]["options"] == {
        "responseCode": {"values": {"responseCode": "customCode", "customCode": 202}},
        "responseData": "got it",
        "responseHeaders": {"entries": [{"name": "Content-Type", "value": "text/plain"}]}}


def test_several_methods_each_go_on() -> None:
    workflow = workflow_of([EMAIL], methods=["GET", "POST"])
    webhook = node(workflow, "webhook")
    assert webhook["parameters"]["multipleMethods"] is True
    assert webhook["parameters"]["httpMethod"] == ["GET", "POST"]
    target = [{"node": "Send email", "type": "main", "index": 0}]
    assert workflow["connections"]["Webhook"] == {"main": [target, target]}


@pytest.mark.parametrize(("verify", "auth", "kind", "data"), [
    ({"scheme": "basic", "secret": "hook-password", "username": "shopify"}, "basicAuth",
     "httpBasicAuth", {"user": "shopify", "password": ""}),
    ({"scheme": "header", "secret": "hook-key", "header": "X-Api-Key"}, "headerAuth",
     "httpHeaderAuth", {"name": "X-Api-Key", "value": ""}),
])
def test_password_checks_become_webhook_authentication(verify: dict[str, Any], auth: str,
                                                       kind: str, data: dict[str, Any]) -> None:
    result = export(make_rule([EMAIL], verify=verify))
    webhook = node(result.workflows[0], "webhook")
    assert webhook["parameters"]["authentication"] == auth
    assert webhook["credentials"] == {kind: {"id": None, "name": verify["secret"]}}
    [made] = [c for c in credentials_json(result) if c["type"] == kind]
    assert (made["name"], made["data"]) == (verify["secret"], data)


def test_a_signature_check_stops_every_run_until_written() -> None:
    result = export(make_rule([EMAIL], verify={"scheme": "shopify", "secret": "shop-sign"}))
    workflow = result.workflows[0]
    assert node(workflow, "webhook")["parameters"]["options"] == {"rawBody": True}
    check = node(workflow, "code")
    assert check["name"] == "Check the signature (to write)"
    assert "“shop-sign”" in check["parameters"]["jsCode"]
    assert check["parameters"]["jsCode"].rstrip().splitlines()[-1].startswith("throw new Error(")
    assert workflow["connections"]["Webhook"]["main"] == [
        [{"node": check["name"], "type": "main", "index": 0}]]
    assert any(line.startswith("Trigger: ") and "Shopify" in line for line in attention(result))


def test_surveycake_answers_are_left_to_write() -> None:
    sheet = {"type": "append_sheet", "account": "google", "spreadsheet": "1aB_cD-eF_gH",
             "sheet": "A",
             "columns": {"Name": '{{ body.answers["姓名"] }}'}}
    result = export(make_rule([sheet], surveycake={"hash_key": "h", "iv_key": "i"}))
    code = node(result.workflows[0], "code")
    assert code["name"] == "Fetch the SurveyCake answers (to write)"
    assert "throw new Error(" in code["parameters"]["jsCode"]
    assert any("SurveyCake" in line for line in attention(result))


# -- the cards ----------------------------------------------------------------------------

def conditions_of(*conditions: dict[str, Any], match: str = "all") -> dict[str, Any]:
    filter_step = {"type": "filter", "match": match, "conditions": list(conditions)}
    return node(workflow_of([filter_step, EMAIL]), "if")["parameters"]


@pytest.mark.parametrize(("op", "value", "operator", "right"), [
    ("gt", 100, {"type": "number", "operation": "gt"}, 100),
    ("ge", "1,000", {"type": "number", "operation": "gte"}, 1000),
    ("lt", 9.5, {"type": "number", "operation": "lt"}, 9.5),
    ("le", "3", {"type": "number", "operation": "lte"}, 3),
    ("eq", 42, {"type": "number", "operation": "equals"}, 42),
    ("ne", "42", {"type": "number", "operation": "notEquals"}, 42),
    ("eq", "paid", {"type": "string", "operation": "equals"}, "paid"),
    ("ne", "paid", {"type": "string", "operation": "notEquals"}, "paid"),
    ("eq", True, {"type": "boolean", "operation": "equals", "rightType": "boolean"}, True),
    ("contains", "VIP", {"type": "string", "operation": "contains"}, "VIP"),
    ("starts_with", "#10", {"type": "string", "operation": "startsWith"}, "#10"),
    ("is_empty", None, {"type": "string", "operation": "empty", "singleValue": True}, ""),
    ("not_empty", None, {"type": "string", "operation": "notEmpty", "singleValue": True}, ""),
])
def test_each_filter_test_as_an_if_condition(op: str, value: Any, operator: dict[str, Any],
                                             right: Any) -> None:
    parameters = conditions_of({"field": "body.x", "op": op, "value": value})
    [condition] = parameters["conditions"]["conditions"]
    assert condition["operator"] == operator
    assert condition["rightValue"] == right
    assert condition["leftValue"] == "={{ $json.body.x }}"
    assert parameters["conditions"]["options"]["typeValidation"] == "loose"
    assert parameters["looseTypeValidation"] is True


def test_all_or_any() -> None:
    one = {"field": "body.x", "op": "gt", "value": 1}
    assert conditions_of(one)["conditions"]["combinator"] == "and"
    assert conditions_of(one, match="any")["conditions"]["combinator"] == "or"


def test_words_are_found_in_any_case_as_bellhop_finds_them() -> None:
    parameters = conditions_of({"field": "body.tags", "op": "contains", "value": "VIP"})
    assert parameters["conditions"]["options"]["caseSensitive"] is False
    assert parameters["options"] == {"ignoreCase": True}


def test_exact_text_and_words_in_one_filter() -> None:
    parameters = conditions_of({"field": "body.status", "op": "eq", "value": "Paid"},
                               {"field": "body.tags", "op": "contains", "value": "VIP"})
    assert parameters["conditions"]["options"]["caseSensitive"] is True
    assert parameters["options"] == {"ignoreCase": False}
    exact, words = parameters["conditions"]["conditions"]
    assert exact["rightValue"] == "Paid"
    assert words["leftValue"] == "={{ String($json.body.tags ?? '').toLowerCase() }}"
    assert words["rightValue"] == "vip"


def test_a_field_compared_with_another_field() -> None:
    parameters = conditions_of({"field": "body.total", "op": "gt",
                                "value": "{{ body.subtotal }}"})
    [condition] = parameters["conditions"]["conditions"]
    assert condition["rightValue"] == "={{ $json.body.subtotal }}"
    assert condition["operator"] == {"type": "number", "operation": "gt"}


def test_text_put_in_order_is_reported() -> None:
    step = {"type": "filter", "match": "all",
            "conditions": [{"field": "body.day", "op": "gt", "value": "Monday"}]}
    result = export(make_rule([step, EMAIL]))
    assert any("alphabetical order" in line for line in attention(result))


def test_send_email_with_the_account_as_credential() -> None:
    step = {**EMAIL, "cc": "boss@example.com", "bcc": "{{ body.email }}",
            "reply_to": "help@example.com", "html": "<b>{{ body.name }}</b>"}
    result = export(make_rule([step]))
    email = node(result.workflows[0], "emailSend")
    assert email["typeVersion"] == 2.1
    assert email["parameters"] == {
        "resource": "email", "operation": "send", "fromEmail": "Tea House <shop@example.com>",
        "toEmail": "warehouse@example.com", "subject": "=Order {{ $json.body.name }}",
        "emailFormat": "both", "text": "=Total {{ $json.body.total_price }}",
        "html": "=<b>{{ $json.body.name }}</b>",
        "options": {"appendAttribution": False, "ccEmail": "boss@example.com",
                    "bccEmail": "={{ $json.body.email }}", "replyTo": "help@example.com"}}
    assert email["credentials"] == {"smtp": {"id": None, "name": "office"}}
    [smtp] = credentials_json(result)
    assert smtp["type"] == "smtp" and smtp["name"] == "office"
    assert smtp["data"] == {"host": "smtp.example.com", "port": 587, "user": "shop@example.com",
                            "secure": False, "disableStartTls": False, "password": ""}


@pytest.mark.parametrize(("security", "secure", "no_starttls"), [
    ("ssl", True, False), ("starttls", False, False), ("none", False, True)])
def test_mail_security_as_n8n_says_it(security: str, secure: bool, no_starttls: bool) -> None:
    accounts = {"office": {**SMTP, "security": security}}
    [smtp] = credentials_json(export(make_rule([EMAIL]), accounts=accounts))
    assert (smtp["data"]["secure"], smtp["data"]["disableStartTls"]) == (secure, no_starttls)


def test_a_server_without_login_needs_no_password() -> None:
    accounts = {"office": {"kind": "smtp", "host": "127.0.0.1", "port": 25,
                           "security": "none", "from": "a@b.c"}}
    result = export(make_rule([EMAIL]), accounts=accounts)
    assert "password" not in credentials_json(result)[0]["data"]


def test_an_email_account_without_a_sender_is_reported() -> None:
    result = export(make_rule([EMAIL]), accounts={})
    assert node(result.workflows[0], "emailSend")["parameters"]["fromEmail"] == ""
    assert any("“office”" in line and "From Email" in line for line in attention(result))


def test_google_sheets_append_by_column_name() -> None:
    step = {"type": "append_sheet", "account": "google", "sheet": "Orders",
            "spreadsheet": "https://docs.google.com/spreadsheets/d/1aB_cD-eF/edit#gid=0",
            "columns": {"Order": "{{ body.name }}", "Total": "{{ body.total_price }}"},
            "values": "text"}
    result = export(make_rule([step]))
    sheet = node(result.workflows[0], "googleSheets")
    parameters = sheet["parameters"]
    assert parameters["documentId"] == {"__rl": True, "mode": "id", "value": "1aB_cD-eF"}
    assert parameters["sheetName"] == {"__rl": True, "mode": "name", "value": "Orders"}
    assert parameters["columns"]["value"] == {"Order": "={{ $json.body.name }}",
                                              "Total": "={{ $json.body.total_price }}"}
    assert [c["id"] for c in parameters["columns"]["schema"]] == ["Order", "Total"]
    assert parameters["options"] == {"cellFormat": "RAW"}
    assert parameters["authentication"] == "serviceAccount"
    assert sheet["credentials"] == {"googleApi": {"id": None, "name": "google"}}
    assert credentials_json(result)[0]["data"] == {
        "email": "bot@tea.iam.gserviceaccount.com", "privateKey": ""}


def test_typed_values_and_google_sign_in() -> None:
    step = {"type": "append_sheet", "account": "google", "spreadsheet": "my sheet",
            "columns": {"A": "x"}, "add_missing_columns": True}
    accounts = {"google": {"kind": "google", "auth": "oauth", "client_id": "cid"}}
    result = export(make_rule([step]), accounts=accounts)
    sheet = node(result.workflows[0], "googleSheets")
    assert sheet["parameters"]["options"] == {"cellFormat": "USER_ENTERED"}
    assert sheet["parameters"]["authentication"] == "oAuth2"
    assert sheet["credentials"] == {"googleSheetsOAuth2Api": {"id": None, "name": "google"}}
    assert any("first row has every column" in line for line in attention(result))
    assert sheet["parameters"]["documentId"]["value"] == ""
    assert any("'my sheet' is not a Google Sheets address" in line and "Choose the "
               "spreadsheet in n8n" in line for line in attention(result))
    assert "sign in with Google" in "\n".join(report_lines(result))


def test_http_request_with_a_json_body() -> None:
    step = {"type": "http_request", "method": "post", "url": "https://api.example.com/o",
            "headers": {"X-Shop": "{{ headers['x-shopify-shop-domain'] }}"},
            "body": '{"id": {{ body.id | tojson }}}', "timeout": 12.5}
    http = node(workflow_of([step]), "httpRequest")
    assert http["parameters"] == {
        "method": "POST", "url": "https://api.example.com/o", "sendHeaders": True,
        "headerParameters": {"parameters": [
            {"name": "X-Shop", "value": '={{ $json.headers["x-shopify-shop-domain"] }}'}]},
        "sendBody": True, "contentType": "json", "specifyBody": "json",
        "jsonBody": '={"id": {{ JSON.stringify($json.body.id ?? null) }}}',
        "options": {"timeout": 12500, "response": {"response": {"fullResponse": True}}}}


@pytest.mark.parametrize(("body_type", "expected"), [
    ("text", {"contentType": "raw", "rawContentType": "text/plain; charset=utf-8"}),
    ("form", {"contentType": "form-urlencoded", "specifyBody": "string"}),
])
def test_http_request_text_and_form_bodies(body_type: str, expected: dict[str, Any]) -> None:
    step = {"type": "http_request", "url": "https://x.example", "body": "a=1",
            "body_type": body_type}
    parameters = node(workflow_of([step]), "httpRequest")["parameters"]
    assert parameters["body"] == "a=1"
    assert expected.items() <= parameters.items()


def test_a_form_body_written_as_json_is_reported() -> None:
    step = {"type": "http_request", "url": "https://x.example", "body": '{"a": 1}',
            "body_type": "form"}
    assert any("name=value" in line for line in attention(export(make_rule([step]))))


def test_a_get_sends_no_body() -> None:
    step = {"type": "http_request", "method": "GET", "url": "https://x.example/{{ body.id }}"}
    parameters = node(workflow_of([step]), "httpRequest")["parameters"]
    assert "sendBody" not in parameters
    assert parameters["url"] == "=https://x.example/{{ $json.body.id }}"


@pytest.mark.parametrize("step", [
    {"type": "line_reply", "text": "Hi {{ body.events[0].source.userId }}"},
    {"type": "append_file", "path": "~/orders.xlsx", "columns": {"Order": "{{ body.name }}"}},
    {"type": "desktop_notice", "title": "New order {{ body.name }}"},
    {"type": "notify_chat", "service": "discord", "secret": "discord-hook",
     "message": "{{ body.name }}"},
])
def test_cards_without_a_node_become_code_that_lets_the_run_go_on(step: dict[str, Any]) -> None:
    result = export(make_rule([step, EMAIL]))
    workflow = result.workflows[0]
    code = node(workflow, "code")
    assert code["name"].endswith("(to replace)")
    assert code["parameters"]["jsCode"].rstrip().endswith("return $input.all();")
    assert "{{ $json.body" in code["parameters"]["jsCode"]  # its settings, as expressions
    assert any(code["name"] in line for line in attention(result))
    # The Code node hands the Webhook's item on: the email still reads it as $json.
    assert node(workflow, "emailSend")["parameters"]["subject"] == "=Order {{ $json.body.name }}"


# -- the workflow -------------------------------------------------------------------------

def test_nodes_in_a_row_the_filter_going_on_when_true() -> None:
    filter_step = {"type": "filter", "conditions": [{"field": "body.x", "op": "not_empty"}]}
    workflow = workflow_of([filter_step, EMAIL])
    names = [n["name"] for n in workflow["nodes"]]
    assert names == ["Webhook", "Only continue if…", "Send email", "Exported from Bellhop"]
    assert workflow["connections"] == {
        "Webhook": {"main": [[{"node": "Only continue if…", "type": "main", "index": 0}]]},
        "Only continue if…": {"main": [[{"node": "Send email", "type": "main", "index": 0}]]}}
    assert [n["position"][0] for n in workflow["nodes"][:3]] == sorted(
        n["position"][0] for n in workflow["nodes"][:3])
    assert workflow["active"] is False and workflow["settings"] == {"executionOrder": "v1"}


def test_after_an_errand_with_a_result_the_webhook_is_read_by_name() -> None:
    second = {**EMAIL, "name": "Thank the customer", "to": "{{ body.email }}"}
    workflow = workflow_of([EMAIL, second])
    thanks = node(workflow, "emailSend", 1)
    assert thanks["name"] == "Thank the customer"
    assert thanks["parameters"]["toEmail"] == '={{ $("Webhook").item.json.body.email }}'


def test_node_names_are_unique_and_steps_found_by_them() -> None:
    call = {"type": "http_request", "url": "https://x.example"}
    use = {**EMAIL, "subject": "{{ steps.2.body.id }}"}
    workflow = workflow_of([call, call, use])
    names = [n["name"] for n in workflow["nodes"]]
    assert names[1:3] == ["Call a web address", "Call a web address 2"]
    assert node(workflow, "emailSend")["parameters"]["subject"] == (
        '={{ $("Call a web address 2").item.json.body?.id }}')


def test_the_same_rule_exports_the_same_workflow() -> None:
    rule = make_rule([{"type": "filter", "conditions": [{"field": "body.x", "op": "gt",
                                                          "value": 1}]}, EMAIL])
    first, second = export(copy.deepcopy(rule)), export(copy.deepcopy(rule))
    assert first.workflows == second.workflows
    other = export({**copy.deepcopy(rule), "id": "r2"}).workflows[0]
    assert other["id"] != first.workflows[0]["id"] and len(other["id"]) == 16


def test_the_note_on_the_canvas_lists_what_to_do() -> None:
    result = export(make_rule([{"type": "desktop_notice", "title": "x"}]))
    note = node(result.workflows[0], "stickyNote")
    assert "Bellhop rule “Orders”" in note["parameters"]["content"]
    assert "(to replace)" in note["parameters"]["content"]


def test_a_rule_turned_off_says_so() -> None:
    result = export({**make_rule([EMAIL]), "enabled": False})
    assert any("turned off in Bellhop" in line for line in attention(result))


def test_a_rule_with_a_mistake_is_not_exported() -> None:
    broken = make_rule([{"type": "send_email", "to": "x@example.com"}])
    with pytest.raises(BellhopError) as raised:
        export(broken)
    assert "“Orders”" in raised.value.message and "cannot be exported" in raised.value.message


def test_rules_chosen_by_id_or_name_in_the_files_order() -> None:
    rules = [{"id": "a", "name": "Orders"}, {"id": "b", "name": "Forms"}, "not a rule"]
    assert choose_rules(rules, []) == rules[:2]
    assert choose_rules(rules, ["Forms", "a"]) == rules[:2]
    assert choose_rules(rules, ["forms"]) == [rules[1]]
    with pytest.raises(UnknownRules) as raised:
        choose_rules(rules, ["Ordres", "b"])
    assert raised.value.message == ("There is no rule called “Ordres”. Rules in rules.json: "
                                    "“Orders”, “Forms”.")


def test_the_report_names_credentials_things_to_do_and_how_to_turn_on() -> None:
    step = {**EMAIL, "body": "{{ body.phone | phone }}"}
    result = export(make_rule([step]))
    report = "\n".join(report_lines(result, "creds.json"))
    assert "Wrote 1 n8n workflow." in report
    assert "“office” (SMTP; host smtp.example.com, port 587, user shop@example.com)" in report
    assert "add its password" in report and "Used by “Orders”" in report
    assert "n8n import:credentials --input creds.json" in report
    assert "Step 1 (Send email) › Message: {{ body.phone | phone }}: the “phone”" in report
    assert f"n8n publish:workflow --id={result.workflows[0]['id']}" in report


# -- the command ---------------------------------------------------------------------------

def write_home(home: Path, rules: list[dict[str, Any]]) -> None:
    (home / "rules.json").write_text(json.dumps({"version": 1, "rules": rules}),
                                     encoding="utf-8")
    (home / "accounts.json").write_text(json.dumps({"version": 1, "accounts": ACCOUNTS}),
                                        encoding="utf-8")


def test_command_writes_workflows_out_and_the_report_to_errors(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_home(home, [make_rule([EMAIL]), {**make_rule([EMAIL]), "id": "r2", "name": "Other",
                                           "trigger": {"type": "webhook",
                                                       "token": TOKEN[::-1]}}])
    credentials = home.parent / "credentials.json"
    assert main(["export", "n8n", "Other", "--credentials", str(credentials)]) == 0
    out, err = capsys.readouterr()
    [workflow] = json.loads(out)
    assert workflow["name"] == "Other"
    assert "Wrote 1 n8n workflow." in err and "Other" in err
    [smtp] = json.loads(credentials.read_text(encoding="utf-8"))
    assert smtp["data"]["password"] == ""
    # The node points at the credential by the id the file gives it.
    assert node(workflow, "emailSend")["credentials"]["smtp"]["id"] == smtp["id"]


def test_command_with_an_unknown_rule_fails_clearly(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_home(home, [make_rule([EMAIL])])
    assert main(["export", "n8n", "Nope"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "There is no rule called “Nope”. Rules in rules.json: “Orders”." in err


def test_command_without_rules_writes_an_empty_list(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "n8n"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert "Wrote 0 n8n workflows." in err


def test_command_with_a_broken_rules_file_fails_clearly(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "rules.json").write_text('{"version": 1, "rules": [', encoding="utf-8")
    assert main(["export", "n8n"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "rules.json" in err


def test_words_searched_for_in_a_field_in_any_case() -> None:
    parameters = conditions_of({"field": "body.status", "op": "ne", "value": "Void"},
                               {"field": "body.note", "op": "contains",
                                "value": "{{ body.keyword }}"})
    words = parameters["conditions"]["conditions"][1]
    assert words["rightValue"] == "={{ String($json.body.keyword ?? '').toLowerCase() }}"


def test_node_ids_do_not_depend_on_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from bellhop.core import i18n

    rule = make_rule([{"type": "filter", "conditions": [{"field": "body.x", "op": "gt",
                                                          "value": 1}]}, EMAIL])
    english = [n["id"] for n in export(copy.deepcopy(rule)).workflows[0]["nodes"]]
    monkeypatch.setattr(i18n, "_language", "zh_TW")
    chinese = [n["id"] for n in export(copy.deepcopy(rule)).workflows[0]["nodes"]]
    assert english == chinese and len(set(english)) == len(english)
