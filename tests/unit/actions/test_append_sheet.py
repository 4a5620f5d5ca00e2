"""The 'Add a row to Google Sheets' card against the fake Google over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bellhop.actions import append_sheet
from bellhop.actions.append_sheet import ACTION, AppendSheetConfig, header_cache
from bellhop.core.errors import PermanentError, TransientError
from bellhop.core.services import sheets
from bellhop.core.services.google import tokens_of
from bellhop.core.services.sheets import SheetsApi, column_letters, spreadsheet_id
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.templating import make_context
from fakes.fake_google import FakeGoogle
from google_kit import HEADER, ROBOT, SHEET_ID, SHEET_URL, GoogleSetup, setup_google
from google_kit import fake_google as fake_google  # the fixture

EVENT = {
    "body": {"name": "#1001", "total_price": "1280.00", "phone": "0912345678",
             "note": "=HYPERLINK(\"http://evil.example\", \"click\")",
             "customer": {"name": "王小明"}},
    "query": {}, "headers": {}, "method": "POST", "received_at": "2024-05-01T10:00:00+08:00",
    "event_id": "ev1", "rule": "Shopify 訂單", "steps": {},
}


@pytest.fixture
def google(fake_google: FakeGoogle) -> GoogleSetup:
    return setup_google(fake_google)


@pytest.fixture
async def services(tmp_path: Path, google: GoogleSetup) -> AsyncIterator[Services]:
    async with aiohttp.ClientSession() as http:
        yield Services(home=tmp_path, accounts=google.accounts, http=http)


def context(services: Services, event: dict[str, Any] | None = None) -> StepContext:
    return StepContext(services, values=make_context(event or EVENT), rule_name="r",
                       event_id="ev1", step_index=1, step_label="Add a row to Google Sheets")


def config(**values: Any) -> AppendSheetConfig:
    base: dict[str, Any] = {"type": "append_sheet", "account": "google",
                            "spreadsheet": SHEET_URL, "sheet": "Orders",
                            "columns": {"Total": "{{ body.total_price }}",
                                        "Order": "{{ body.name }}"}}
    return AppendSheetConfig.model_validate({**base, **values})


async def append(services: Services, **values: Any) -> dict[str, Any]:
    return await ACTION.run(context(services), config(**values))


# -- addresses and ranges ---------------------------------------------------------------------

def test_spreadsheet_id_from_the_browser_address_or_the_id() -> None:
    assert spreadsheet_id(SHEET_URL) == SHEET_ID
    assert spreadsheet_id(f"  {SHEET_ID} ") == SHEET_ID
    assert spreadsheet_id(f"https://docs.google.com/spreadsheets/u/1/d/{SHEET_ID}") == SHEET_ID
    with pytest.raises(PermanentError, match="not a Google Sheets address"):
        spreadsheet_id("my orders sheet")
    assert [column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


# -- header mapping ---------------------------------------------------------------------------

async def test_values_land_under_their_headers_and_other_columns_stay_empty(
        services: Services, google: GoogleSetup) -> None:
    output = await append(services, values="text")
    assert google.fake.rows(SHEET_ID, "Orders") == [HEADER, ["#1001", None, None, "1280.00"]]
    assert output["range"] == "Orders!A2:D2"
    assert output["columns"] == {"Total": "1280.00", "Order": "#1001"}


async def test_headers_match_ignoring_case_and_spaces(services: Services,
                                                      google: GoogleSetup) -> None:
    await append(services, values="text", columns={" total ": "{{ body.total_price }}",
                                                   "ORDER": "{{ body.name }}"})
    assert google.fake.rows(SHEET_ID, "Orders")[1] == ["#1001", None, None, "1280.00"]


async def test_a_header_the_sheet_lacks_fails_plainly_and_writes_nothing(
        services: Services, google: GoogleSetup) -> None:
    with pytest.raises(PermanentError) as caught:
        await append(services, columns={"Order": "{{ body.name }}", "Customer": "x"})
    assert "The sheet 'Orders' has no column 'Customer'" in caught.value.message
    assert "Add missing columns" in caught.value.message
    assert google.fake.rows(SHEET_ID, "Orders") == [HEADER]


async def test_missing_headers_are_added_at_the_end_when_allowed(
        services: Services, google: GoogleSetup) -> None:
    await append(services, add_missing_columns=True, values="text",
                 columns={"Customer": "{{ body.customer.name }}", "Order": "{{ body.name }}"})
    assert google.fake.rows(SHEET_ID, "Orders") == [
        [*HEADER, "Customer"], ["#1001", None, None, None, "王小明"]]


async def test_an_empty_tab_gets_the_whole_header_row(services: Services,
                                                      google: GoogleSetup) -> None:
    output = await append(services, sheet="訂單", add_missing_columns=True, values="text")
    assert google.fake.rows(SHEET_ID, "訂單") == [["Total", "Order"], ["1280.00", "#1001"]]
    assert output["range"] == "'訂單'!A2:B2"


async def test_a_column_added_in_the_sheet_after_caching_is_found(
        services: Services, google: GoogleSetup) -> None:
    await append(services)
    google.fake.spreadsheets[SHEET_ID].tabs["Orders"][0].append("Note")  # a person adds it
    await append(services, columns={"Note": "{{ body.customer.name }}"})
    assert google.fake.rows(SHEET_ID, "Orders")[-1] == [None, None, None, None, "王小明"]


def methods(fake: FakeGoogle) -> list[str]:
    """The Sheets requests so far: GET is a read, POST and PUT are writes for Google's quota."""
    return [method for method, _ in fake.requests]


async def test_headers_are_read_once_while_cached_and_looked_at_after_each_append(
        services: Services, google: GoogleSetup, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(4):
        await append(services)
    # One write per row, as before; the look after each append keeps the cached row fresh.
    assert methods(google.fake) == ["GET", "POST", "GET"] + ["POST", "GET"] * 3
    assert [call["range"] for call in google.fake.calls if call["method"] == "GET"] == \
        ["'Orders'!1:1"] * 5
    assert header_cache(services.shared).reads == 5
    monkeypatch.setattr(append_sheet, "HEADER_TTL", 0.0)  # past the cache's time
    await append(services)
    assert methods(google.fake)[-3:] == ["GET", "POST", "GET"]
    assert len(google.fake.rows(SHEET_ID, "Orders")) == 6


async def test_a_column_moved_while_the_look_is_trusted_still_gets_the_row_right(
        services: Services, google: GoogleSetup) -> None:
    clock = [1000.0]
    cache = header_cache(services.shared)
    cache.clock = lambda: clock[0]
    await append(services, values="text")
    # In Google Sheets the person drags "Total" to the front: every row moves with it.
    google.fake.move_column(SHEET_ID, "Orders", 3, 0)
    assert google.fake.rows(SHEET_ID, "Orders")[0] == ["Total", "Order", "Date", "Phone"]
    clock[0] += 2  # within a burst, 2 s later: the cached look is used, and found out after
    output = await append(services, values="text")
    assert google.fake.rows(SHEET_ID, "Orders") == [
        ["Total", "Order", "Date", "Phone"], ["1280.00", "#1001"], ["1280.00", "#1001"]]
    assert output["moved_columns"] == ["Total", "Order"]
    clock[0] += 8  # a row after a pause of 8 s looks before it writes
    before = len(google.fake.requests)
    output = await append(services, values="text")
    assert methods(google.fake)[before:] == ["GET", "POST", "GET"]
    assert google.fake.rows(SHEET_ID, "Orders")[-1] == ["1280.00", "#1001"]
    assert "moved_columns" not in output


# -- columns a person moves between Bellhop's look and its write --------------------------------

THREE = {"Order": "{{ body.name }}", "Phone": "{{ body.phone }}",
         "Total": "{{ body.total_price }}"}


async def test_columns_swapped_just_before_the_append_are_put_right(
        services: Services, google: GoogleSetup) -> None:
    fake = google.fake
    fake.before("append", lambda: fake.swap_columns(SHEET_ID, "Orders", 2, 3))
    output = await append(services, values="text", columns=THREE)
    assert fake.rows(SHEET_ID, "Orders") == [
        ["Order", "Date", "Total", "Phone"], ["#1001", None, "1280.00", "0912345678"]]
    assert output["moved_columns"] == ["Phone", "Total"]
    assert output["range"] == "Orders!A2:D2"
    # look, append, look again, write the row again in place, look again: 2 writes, 3 reads
    assert methods(fake) == ["GET", "POST", "GET", "PUT", "GET"]
    repair = fake.calls[3]
    assert repair["range"] == "'Orders'!A2:D2"
    assert repair["body"]["values"] == [["#1001", "", "1280.00", "0912345678"]]
    assert repair["query"]["valueInputOption"] == "RAW"


async def test_columns_swapped_just_after_the_append_leave_the_row_right(
        services: Services, google: GoogleSetup) -> None:
    fake = google.fake
    fake.before("append", lambda: fake.before(
        "get", lambda: fake.swap_columns(SHEET_ID, "Orders", 2, 3)))
    output = await append(services, values="text", columns=THREE)
    assert fake.rows(SHEET_ID, "Orders") == [
        ["Order", "Date", "Total", "Phone"], ["#1001", None, "1280.00", "0912345678"]]
    assert output["moved_columns"] == ["Phone", "Total"]  # written again: the same cells
    assert methods(fake) == ["GET", "POST", "GET", "PUT", "GET"]


async def test_a_column_inserted_before_the_others_is_left_empty(
        services: Services, google: GoogleSetup) -> None:
    fake = google.fake
    fake.before("append", lambda: fake.insert_column(SHEET_ID, "Orders", 0, "Seq"))
    output = await append(services, values="text", columns=THREE)
    assert fake.rows(SHEET_ID, "Orders") == [
        ["Seq", "Order", "Date", "Phone", "Total"],
        [None, "#1001", None, "0912345678", "1280.00"]]
    assert output["moved_columns"] == ["Order", "Phone", "Total"]


async def test_a_column_deleted_between_the_others_closes_the_gap(
        services: Services, google: GoogleSetup) -> None:
    fake = google.fake
    fake.before("append", lambda: fake.delete_column(SHEET_ID, "Orders", 1))  # "Date"
    await append(services, values="text", columns=THREE)
    # The total first went to column D, which no longer has a header: emptied.
    assert fake.rows(SHEET_ID, "Orders") == [
        ["Order", "Phone", "Total"], ["#1001", "0912345678", "1280.00"]]


async def test_a_column_of_the_step_deleted_meanwhile_fails_and_leaves_no_row(
        services: Services, google: GoogleSetup) -> None:
    fake = google.fake
    fake.before("append", lambda: fake.delete_column(SHEET_ID, "Orders", 2))  # "Phone"
    with pytest.raises(PermanentError) as caught:
        await append(services, values="text", columns=THREE)
    assert caught.value.message.startswith(
        "The column 'Phone' left the sheet 'Orders' (deleted or renamed) while Bellhop was "
        "adding the row, so Bellhop emptied the row again")
    assert fake.rows(SHEET_ID, "Orders") == [["Order", "Date", "Total"], []]
    assert methods(fake) == ["GET", "POST", "GET", "POST"]
    assert fake.calls[3]["range"] == "'Orders'!2:2:clear"


async def test_a_column_of_the_step_deleted_meanwhile_is_added_again_when_allowed(
        services: Services, google: GoogleSetup) -> None:
    fake = google.fake
    fake.before("append", lambda: fake.delete_column(SHEET_ID, "Orders", 2))  # "Phone"
    output = await append(services, values="text", columns=THREE, add_missing_columns=True)
    assert fake.rows(SHEET_ID, "Orders") == [
        ["Order", "Date", "Total", "Phone"], ["#1001", None, "1280.00", "0912345678"]]
    assert output["moved_columns"] == ["Phone", "Total"]
    assert methods(fake) == ["GET", "POST", "GET", "PUT", "PUT", "GET"]


async def test_columns_that_keep_moving_leave_no_row_and_name_the_columns(
        services: Services, google: GoogleSetup) -> None:
    fake = google.fake
    swap = lambda: fake.swap_columns(SHEET_ID, "Orders", 2, 3)  # noqa: E731
    fake.before("append", swap)
    fake.before("update", swap)  # each time Bellhop writes the row again
    fake.before("update", swap)
    with pytest.raises(TransientError) as caught:
        await append(services, values="text", columns=THREE)
    assert caught.value.message.startswith(
        "The columns 'Phone', 'Total' of the sheet 'Orders' kept moving while Bellhop was "
        "adding the row, so Bellhop emptied the row again")
    assert fake.rows(SHEET_ID, "Orders") == [["Order", "Date", "Total", "Phone"], []]
    assert methods(fake) == ["GET", "POST", "GET", "PUT", "GET", "PUT", "GET", "POST"]
    await append(services, values="text", columns=THREE)  # the engine's next try
    assert fake.rows(SHEET_ID, "Orders") == [
        ["Order", "Date", "Total", "Phone"], ["#1001", None, "1280.00", "0912345678"]]


async def test_a_batch_of_rows_is_checked_with_one_read_and_put_right_with_one_write(
        services: Services, google: GoogleSetup) -> None:
    fake = google.fake
    api = SheetsApi(services.http, "google", google.account, tokens_of(services.shared))
    rows = [{"Order": f"#{n}", "Phone": f"091200000{n}", "Total": f"{n}00"} for n in (1, 2, 3)]
    fake.before("append", lambda: fake.swap_columns(SHEET_ID, "Orders", 0, 3))
    placed = await append_sheet.add_rows(api, header_cache(services.shared), SHEET_ID, "Orders",
                                         config(values="typed", columns=THREE), rows)
    assert fake.rows(SHEET_ID, "Orders") == [
        ["Total", "Date", "Phone", "Order"],
        [100, None, 912000001, "#1"], [200, None, 912000002, "#2"],
        [300, None, 912000003, "#3"]]
    assert placed.range == "Orders!A2:D4" and placed.moved == ["Order", "Total"]
    assert methods(fake) == ["GET", "POST", "GET", "PUT", "GET"]
    assert fake.calls[3]["range"] == "'Orders'!A2:D4"
    assert fake.calls[3]["query"]["valueInputOption"] == "USER_ENTERED"


async def test_a_busy_google_after_the_append_is_waited_out_without_a_second_row(
        services: Services, google: GoogleSetup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(append_sheet, "AFTER_APPEND_DELAY", 0.0)
    fake = google.fake
    fake.before("append", lambda: fake.fail_next.append((429, {"Retry-After": "0"})))
    await append(services, values="text")
    assert fake.rows(SHEET_ID, "Orders") == [HEADER, ["#1001", None, None, "1280.00"]]
    assert methods(fake) == ["GET", "POST", "GET", "GET"]
    fake.before("append", lambda: fake.fail_next.extend([(500, {})] * 3))
    with pytest.raises(PermanentError) as caught:
        await append(services, values="text")
    assert caught.value.message.startswith(
        "Bellhop added the row (Orders!A3:D3) but could not make sure it sits under the right "
        "headers: Google Sheets is busy or having trouble (500).")
    assert "Retry would add it a second time" in caught.value.message
    assert len(fake.rows(SHEET_ID, "Orders")) == 3


# -- typed or plain text ----------------------------------------------------------------------

async def test_plain_text_keeps_the_leading_zero_of_phone_numbers(
        services: Services, google: GoogleSetup) -> None:
    columns = {"Phone": "{{ body.phone }}", "Total": "{{ body.total_price }}"}
    await append(services, values="text", columns=columns)
    await append(services, values="typed", columns=columns)
    rows = google.fake.rows(SHEET_ID, "Orders")
    assert rows[1] == [None, None, "0912345678", "1280.00"]  # RAW: text as it came
    assert rows[2] == [None, None, 912345678, 1280]  # USER_ENTERED: Sheets made numbers


async def test_typed_keeps_signed_numbers_numbers_and_other_signs_text(
        services: Services, google: GoogleSetup) -> None:
    await append(services, values="typed",
                 columns={"Order": "-12.5", "Date": "+886912345678", "Phone": "+SUM(1,2)",
                          "Total": "@me"})
    assert google.fake.rows(SHEET_ID, "Orders")[1] == [-12.5, 886912345678, "+SUM(1,2)", "@me"]


async def test_typed_values_never_run_a_formula_from_the_event(
        services: Services, google: GoogleSetup) -> None:
    await append(services, values="typed", columns={"Order": "{{ body.note }}",
                                                    "Total": "=SUM(1,2)"})
    row = google.fake.rows(SHEET_ID, "Orders")[1]
    assert row[0] == EVENT["body"]["note"]  # text, shown as it came
    assert row[3] == {"formula": "=SUM(1,2)"}  # the rule's own formula still works


# -- tokens -----------------------------------------------------------------------------------

async def test_one_token_serves_many_appends_until_it_nears_expiry(
        services: Services, google: GoogleSetup) -> None:
    for _ in range(3):
        await append(services)
    assert google.fake.grants == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    google.fake.expires_in = 120  # under google-auth's 3¾-minute margin: refreshed early
    tokens_of(services.shared).forget()
    for _ in range(3):
        await append(services)
    assert len(google.fake.grants) == 7  # a fresh token before each call (append, look) …
    assert not [r for r in google.fake.requests if r[1].endswith("401")]
    assert len(google.fake.rows(SHEET_ID, "Orders")) == 7  # … and never a refused call


async def test_a_refused_token_is_renewed_once(services: Services, google: GoogleSetup) -> None:
    await append(services)
    google.fake.expire_tokens()  # Google stops taking the token before its time
    await append(services)
    assert len(google.fake.grants) == 2
    assert len(google.fake.rows(SHEET_ID, "Orders")) == 3


async def test_a_token_refused_twice_asks_to_reconnect(services: Services,
                                                      google: GoogleSetup) -> None:
    google.fake.expires_in = -10  # every token the fake gives is dead on arrival
    with pytest.raises(PermanentError, match="Reconnect your Google account"):
        await append(services)
    assert len(google.fake.grants) == 2  # the first token, and one renewal: no loop
    assert google.fake.rows(SHEET_ID, "Orders") == [HEADER]


async def test_when_the_key_is_no_longer_accepted_the_user_is_told_to_reconnect(
        services: Services, google: GoogleSetup) -> None:
    await append(services)
    google.fake.expire_tokens()
    google.fake.public_keys.clear()  # the key was deleted in Google Cloud Console
    with pytest.raises(PermanentError, match="Reconnect your Google account"):
        await append(services)


async def test_a_missing_key_in_the_keychain_is_a_plain_error(
        services: Services, google: GoogleSetup, memory_keyring: Any) -> None:
    memory_keyring.store.clear()
    with pytest.raises(PermanentError, match="not in the keychain"):
        await append(services)


# -- Google's errors --------------------------------------------------------------------------

async def test_403_names_the_address_to_share_the_sheet_with(
        services: Services, google: GoogleSetup) -> None:
    google.fake.spreadsheets[SHEET_ID].editors.clear()
    with pytest.raises(PermanentError) as caught:
        await append(services)
    assert f"add {ROBOT} as an Editor" in caught.value.message


async def test_404_unknown_spreadsheet(services: Services, google: GoogleSetup) -> None:
    with pytest.raises(PermanentError, match="cannot find the spreadsheet 1NoSuchSheet"):
        await append(services, spreadsheet="https://docs.google.com/spreadsheets/d/1NoSuchSheet/")


async def test_a_missing_tab_is_named_with_the_tabs_there_are(services: Services) -> None:
    with pytest.raises(PermanentError) as caught:
        await append(services, sheet="Order")
    assert caught.value.message.startswith("The spreadsheet has no tab called 'Order'. "
                                           "Its tabs are: 'Orders', '訂單'.")


async def test_broken_google_is_transient_with_its_retry_after(
        services: Services, google: GoogleSetup) -> None:
    google.fake.fail_next.append((500, {"Retry-After": "7"}))
    with pytest.raises(TransientError) as caught:
        await append(services)
    assert caught.value.retry_after == 7.0
    assert "(500)" in caught.value.message
    await append(services)  # the next try goes through
    assert len(google.fake.rows(SHEET_ID, "Orders")) == 2


@pytest.mark.parametrize("status", [429, 503])
async def test_busy_google_is_waited_out_in_the_same_step(
        services: Services, google: GoogleSetup, status: int) -> None:
    # Over quota or unavailable: the request was not carried out, so the same request
    # goes again after Google's Retry-After (rows waiting behind it keep their order).
    google.fake.fail_next += [(status, {"Retry-After": "1"})] * 2
    await append(services)
    assert len(google.fake.rows(SHEET_ID, "Orders")) == 2
    appends = [c for c in google.fake.calls if c["path"].endswith(":append")]
    assert len(appends) == 1  # the two refused tries came first, on the header read


async def test_google_busy_for_too_long_is_transient(
        services: Services, google: GoogleSetup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "BUSY_TRIES", 2)
    google.fake.fail_next += [(429, {"Retry-After": "1"})] * 2
    with pytest.raises(TransientError) as caught:
        await append(services)
    assert caught.value.retry_after == 1.0 and "(429)" in caught.value.message
    assert len(google.fake.rows(SHEET_ID, "Orders")) == 1


async def test_an_unreachable_google_is_transient(services: Services,
                                                  google: GoogleSetup) -> None:
    google.account["api_base"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    with pytest.raises(TransientError, match="Could not reach Google Sheets"):
        await append(services)


# -- one writer per spreadsheet ---------------------------------------------------------------

async def test_bare_concurrent_appends_can_overwrite_each_other(
        services: Services, google: GoogleSetup) -> None:
    """The fake races like Sheets does: this is what the card's lock prevents."""
    api = SheetsApi(services.http, "google", google.account, tokens_of(services.shared))
    await asyncio.gather(*(api.append_rows(SHEET_ID, "Orders", [[f"#{n}", None, None, n]], "RAW")
                           for n in range(10)))
    assert len(google.fake.rows(SHEET_ID, "Orders")) < 11


async def test_concurrent_runs_append_whole_rows_one_after_another(
        services: Services, google: GoogleSetup) -> None:
    events = [{**EVENT, "body": {**EVENT["body"], "name": f"#{n}", "total_price": str(n)}}
              for n in range(20)]
    await asyncio.gather(*(ACTION.run(context(services, event), config(values="text"))
                           for event in events))
    rows = google.fake.rows(SHEET_ID, "Orders")[1:]
    assert len(rows) == 20
    assert sorted(rows, key=lambda row: int(row[3])) == [
        [f"#{n}", None, None, str(n)] for n in range(20)]


async def test_messages_speak_traditional_chinese(services: Services, google: GoogleSetup,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from bellhop.core import i18n

    monkeypatch.setattr(i18n, "_language", "zh_TW")
    with pytest.raises(PermanentError) as caught:
        await append(services, columns={"客戶": "{{ body.customer.name }}"})
    assert caught.value.message.startswith("工作表「Orders」沒有欄位 '客戶'。")


async def test_a_signed_in_user_without_access_is_told_to_ask_the_owner(
        services: Services, google: GoogleSetup, memory_keyring: Any) -> None:
    from bellhop.core.services.google import oauth_entry, oauth_secret

    google.fake.clients["cid"] = "csecret"
    google.fake.refresh_tokens["1//r"] = ("cid", "someone@example.com")
    memory_keyring.set_password("bellhop", "google", oauth_secret("1//r", "csecret"))
    google.account.clear()
    google.account.update(oauth_entry("cid", token_uri=f"{google.fake.url}/token",
                                      api_base=google.fake.url))
    with pytest.raises(PermanentError, match="Ask its owner to share it with you"):
        await append(services)


async def test_the_result_reads_as_a_sentence(services: Services) -> None:
    from bellhop.core.i18n import set_language

    out = await append(services)
    assert ACTION.describe_result(out, {}) == "Added row 2 to Orders"
    out = await append(services)
    assert ACTION.describe_result(out, {}) == "Added row 3 to Orders"
    assert ACTION.describe_result({**out, "range": "Orders!A4:D6"}, {}) == \
        "Added rows 4 to 6 to Orders"
    assert ACTION.describe_result({**out, "moved_columns": ["Total"]}, {}) == (
        "Added row 3 to Orders. The columns “Total” moved meanwhile; the row was put under "
        "the right headers.")
    set_language("zh_TW")
    assert ACTION.describe_result(out, {}) == "已在「Orders」新增第 3 列"
