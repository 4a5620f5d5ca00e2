"""bellhop.log in the data home: details for whoever helps the user.

The user sees plain messages in the window and the CLI, never this file. It rotates at
1 MB and keeps three old files.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

# aiohttp and asyncio report malformed requests with tracebacks: those go to the file
# too, never to the person's terminal.
LOGGERS = ("bellhop", "aiohttp", "asyncio")


def attach(home: Path) -> logging.Handler:
    """Start writing the loggers' records to `home`/bellhop.log; returns the handler."""
    handler = logging.handlers.RotatingFileHandler(
        home / "bellhop.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in LOGGERS:
        logging.getLogger(name).addHandler(handler)
    logging.getLogger("bellhop").setLevel(logging.INFO)
    return handler


def detach(handler: logging.Handler) -> None:
    """Stop writing to the file `attach` opened, and close it."""
    for name in LOGGERS:
        logging.getLogger(name).removeHandler(handler)
    handler.close()
