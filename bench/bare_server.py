"""A bare aiohttp receiver: the baseline Bellhop's receiver is measured against."""

from __future__ import annotations

import argparse

from aiohttp import web

OK_BODY = b'{"ok": true}'


async def hook(request: web.Request) -> web.Response:
    """Read the whole body and answer 200 `{"ok": true}`."""
    await request.read()
    return web.Response(body=OK_BODY, content_type="application/json")


def make_app() -> web.Application:
    """The app: one route, POST /hooks/{token}."""
    app = web.Application()
    app.router.add_post("/hooks/{token}", hook)
    return app


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8798)
    args = parser.parse_args(argv)
    web.run_app(make_app(), host=args.host, port=args.port, access_log=None, print=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
