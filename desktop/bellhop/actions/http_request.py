"""The 'Call a web address' card: one HTTP request to another service."""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

import aiohttp
from pydantic import field_validator
from yarl import URL

from bellhop import __version__
from bellhop.core.cards import ActionType, StepConfig, field
from bellhop.core.errors import (
    PermanentError,
    StepError,
    TransientError,
    edit_card,
    retry_after_seconds,
)
from bellhop.core.i18n import N_, _
from bellhop.core.running.headers import breaks_header_line, unfit_for_header
from bellhop.core.running.sentences import clip
from bellhop.core.stepcontext import StepContext

MAX_TEXT = 64 * 1024  # characters of a text answer kept in the step's output
MAX_READ = 4 * 1024 * 1024  # bytes read from an answer at most
KEPT_HEADERS = ("content-type", "content-length", "location", "etag", "last-modified",
                "retry-after", "x-request-id")
CONTENT_TYPES = {"json": "application/json; charset=utf-8",
                 "text": "text/plain; charset=utf-8",
                 "form": "application/x-www-form-urlencoded"}
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # used with fullmatch: "$" lets "\n" in


class HttpRequestConfig(StepConfig):
    """What the 'Call a web address' card needs."""

    type: Literal["http_request"] = "http_request"
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = field(
        "POST", label=N_("Method")
    )
    url: str = field(label=N_("Web address (URL)"), template=True, min_length=1)
    headers: dict[str, str] = field({}, label=N_("Headers"), template=True,
                                    widget="pairs")
    body: str = field(
        "", label=N_("Body"), template=True, widget="multiline",
        help=N_("For JSON, build values with the tojson filter: {{ body.name | tojson }}."),
    )
    body_type: Literal["json", "text", "form"] = field(
        "json", label=N_("Body type"),
        help=N_("Form bodies: a JSON object or name=value pairs joined by &."),
    )
    timeout: float = field(30.0, label=N_("Time limit (seconds)"), gt=0,
                           le=600)

    @field_validator("method", mode="before")
    @classmethod
    def _upper_case(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


def _label(name: str) -> str:
    return ACTION.field_label(name)


def _parse_url(text: str) -> URL:
    """The rendered address, if it is a usable http(s) address."""
    try:
        url = URL(text.strip())
    except (ValueError, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise PermanentError(
            _("'{url}' is not a web address. It should start with https:// or http://.").format(
                url=text.strip()), fix=edit_card("url")
        )
    return url


def _render_headers(ctx: StepContext, templates: dict[str, str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, template in templates.items():
        if not _HEADER_NAME.fullmatch(name):
            raise PermanentError(
                _("'{name}' is not a valid header name: use letters, digits and dashes.").format(
                    name=name), fix=edit_card("headers")
            )
        value = ctx.render(template, _("Header '{name}'").format(name=name),
                           field="headers").strip()
        if breaks_header_line(value):
            raise PermanentError(
                _("The header '{name}' contains a line break, which is not allowed. Check "
                  "the template and the event data it uses.").format(
                    name=name), fix=edit_card("headers")
            )
        if unfit_for_header(value):
            raise PermanentError(
                _("The header '{name}' contains an invisible control character, which is "
                  "not allowed. Check the template and the event data it uses.").format(
                    name=name), fix=edit_card("headers")
            )
        headers[name] = value
    return headers


def _encode_body(text: str, body_type: str) -> bytes:
    """The body bytes to send, checked against its declared type."""
    if body_type == "json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise PermanentError(
                _("The body is not valid JSON (line {line}, column {column}). Put text "
                  "values in with the tojson filter, for example {example}, which adds "
                  "the quotes and escapes for you.").format(
                    line=exc.lineno,
                    column=exc.colno,
                    example="{{ body.name | tojson }}",
                ), fix=edit_card("body")
            ) from exc
    elif body_type == "form":
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            pairs = [(str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                     for k, v in parsed.items()]
        else:
            pairs = parse_qsl(text.strip().replace("\n", "&"), keep_blank_values=True)
        return urlencode(pairs).encode("ascii")
    return text.encode("utf-8")


async def _read_answer(response: aiohttp.ClientResponse) -> Any:
    """JSON when the answer says it is JSON, else text cut to 64 KB."""
    chunks: list[bytes] = []
    size = 0
    while size < MAX_READ:
        chunk = await response.content.read(MAX_READ - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    raw = b"".join(chunks)
    charset = response.charset or "utf-8"
    try:
        text = raw.decode(charset, errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    content_type = response.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text[:MAX_TEXT]


def _snippet(body: Any) -> str:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    text = " ".join(text.split())
    return text[:200] + ("…" if len(text) > 200 else "") if text else _("(empty answer)")


def _check_status(status: int, host: str, body: Any, retry_after: float | None) -> None:
    """Raise the right error for anything but a 2xx answer."""
    if 200 <= status < 300:
        return
    if status in (408, 429) or status >= 500:
        raise TransientError(
            _("{host} answered {status} (busy or having trouble): {answer}.").format(
                host=host,
               status=status, answer=_snippet(body)),
            retry_after=retry_after,
        )
    raise PermanentError(
        _("{host} answered {status}: {answer}. Check the address, the headers and the body "
          "of this step.").format(
            host=host, status=status, answer=_snippet(body)), fix=edit_card("url")
    )


def _explain(exc: Exception, host: str, timeout: float) -> StepError:
    """Turn a connection failure into a message a person can act on."""
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return PermanentError(
            _("The secure connection to {host} could not be trusted (its certificate is not "
              "valid). Check the address.").format(
                host=host), fix=edit_card("url")
        )
    if isinstance(exc, aiohttp.TooManyRedirects):
        return PermanentError(
            _("{host} sent Bellhop from address to address without end. Check the address.").format(
                host=host), fix=edit_card("url")
        )
    if isinstance(exc, aiohttp.InvalidURL):
        return PermanentError(
            _("'{url}' is not a web address. It should start with https:// or http://.").format(
                url=exc.url), fix=edit_card("url")
        )
    if isinstance(exc, TimeoutError):
        return TransientError(
            _("{host} did not answer within {seconds} seconds.").format(
                host=host, seconds=f"{timeout:g}")
        )
    return TransientError(
        _("Could not reach {host}. Check the address and the internet connection.").format(
            host=host), fix=edit_card("url")
    )


async def run(ctx: StepContext, config: HttpRequestConfig) -> dict[str, Any]:
    """Send the request and return the status, the answer and a few of its headers."""
    url = _parse_url(ctx.render(config.url, _label("url"), field="url"))
    headers = _render_headers(ctx, config.headers)
    data: bytes | None = None
    body = ctx.render(config.body, _label("body"), field="body")
    if body.strip():
        data = _encode_body(body, config.body_type)
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = CONTENT_TYPES[config.body_type]
    if not any(name.lower() == "user-agent" for name in headers):
        headers["User-Agent"] = f"Bellhop/{__version__}"
    host = url.host or str(url)
    try:
        async with ctx.http.request(
            config.method, url, headers=headers, data=data,
            timeout=aiohttp.ClientTimeout(total=config.timeout),
        ) as response:
            answer = await _read_answer(response)
            kept = {name: response.headers[name] for name in KEPT_HEADERS
                    if name in response.headers}
            status = response.status
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise _explain(exc, host, config.timeout) from exc
    _check_status(status, host, answer, retry_after_seconds(kept.get("retry-after")))
    # The address called, for the sentence in Activity; without its query or a password
    # (a key passed in the address stays in rules.json only).
    called = str(url.with_user(None).with_query(None).with_fragment(None))
    return {"status": status, "body": answer, "headers": kept, "url": called}


def status_words(status: Any) -> str:
    """200 → '200 OK', 418 → "418 I'm a Teapot"; the number alone when unknown."""
    try:
        return f"{int(status)} {HTTPStatus(int(status)).phrase}"
    except (TypeError, ValueError):
        return str(status)


def describe(output: dict[str, Any], config: dict[str, Any]) -> str:
    """'Called https://example.com/orders — it answered 200 OK'."""
    url = str(output.get("url") or "")
    status = status_words(output.get("status"))
    if url:
        return _("Called {url} — it answered {status}").format(url=clip(url, 80), status=status)
    return _("The web address answered {status}").format(status=status)


ACTION = ActionType(
    type="http_request",
    label=N_("Call a web address"),
    description=N_("Sends a request to another web service, for example to pass the order on."),
    icon="globe",
    config_model=HttpRequestConfig,
    run=run,
    test_effect=N_("calls the web address for real"),
    describe=describe,
    noun=N_("the web request"),
)
