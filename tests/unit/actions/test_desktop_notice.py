"""The 'Show a desktop notice' card publishes a NoticeRequested engine event."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bellhop.actions.desktop_notice import ACTION, DesktopNoticeConfig
from bellhop.core.errors import PermanentError
from bellhop.core.events import EngineEvent, NoticeRequested
from bellhop.core.stepcontext import Services, StepContext
from bellhop.core.templating import make_context


async def test_notice_is_published_with_rendered_text(tmp_path: Path) -> None:
    seen: list[EngineEvent] = []
    async with aiohttp.ClientSession() as http:
        services = Services(home=tmp_path, accounts=dict, http=http, publish=seen.append)
        values = make_context({"body": {"name": "#1042", "total": "1640"}, "steps": {}})
        ctx = StepContext(services, values, "訂單通知", "ev9", 1, "Show a desktop notice")
        out = await ACTION.run(ctx, DesktopNoticeConfig(
            title="新訂單 {{ body.name }}", text="{{ body.total | money('NT$', 0) }}"))
        assert out == {"title": "新訂單 #1042", "text": "NT$1,640"}
        assert seen == [NoticeRequested(title="新訂單 #1042", text="NT$1,640",
                                        event_id="ev9", rule_name="訂單通知", test=False)]
        with pytest.raises(PermanentError, match="needs a title"):
            await ACTION.run(ctx, DesktopNoticeConfig(title="{{ '  ' }}"))


async def test_the_result_reads_as_a_sentence(tmp_path: Path) -> None:
    async with aiohttp.ClientSession() as http:
        services = Services(home=tmp_path, accounts=dict, http=http, publish=lambda _e: None)
        values = make_context({"body": {"name": "#1042"}, "steps": {}})
        ctx = StepContext(services, values, "訂單通知", "ev9", 1, "Show a desktop notice")
        out = await ACTION.run(ctx, DesktopNoticeConfig(title="新訂單 {{ body.name }}"))
    assert ACTION.describe_result(out, {}) == "Showed a notice: 新訂單 #1042"
