"""bellhop.log: what goes in while attached, nothing after detach."""

from __future__ import annotations

import logging
from pathlib import Path

from bellhop.core.platform import logfile


def test_records_go_to_the_file_until_detached(tmp_path: Path) -> None:
    handler = logfile.attach(tmp_path)
    try:
        logging.getLogger("bellhop.engine").info("run finished for 訂單 #1042")
        logging.getLogger("aiohttp.server").error("Error handling request")
    finally:
        logfile.detach(handler)
    logging.getLogger("bellhop.engine").info("after detach")
    text = (tmp_path / "bellhop.log").read_text(encoding="utf-8")
    assert "INFO bellhop.engine: run finished for 訂單 #1042" in text
    assert "ERROR aiohttp.server: Error handling request" in text
    assert "after detach" not in text
    assert all(handler not in logging.getLogger(name).handlers for name in logfile.LOGGERS)
