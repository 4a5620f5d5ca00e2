"""'Copy as curl': a shell command that sends a stored delivery again, for whoever helps.

Qt-free. Only the headers that change how Bellhop takes the delivery go in: the
content type and the sender's signature. Sender delivery ids stay out, or the
copy would be answered as a repeat and run nothing. A credential Bellhop did not
keep (its value is HIDDEN) stays out too, named in a comment line above the command:
sent as '(hidden)' it would only fail the rule's check and look like a wrong secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from bellhop.core.i18n import _
from bellhop.core.inbox.credentials import HIDDEN
from bellhop.core.storage.records import EventRecord

SIGNATURE_HEADERS = (
    "x-shopify-hmac-sha256", "x-line-signature", "x-hub-signature-256", "x-hub-signature",
    "stripe-signature", "x-slack-signature", "x-slack-request-timestamp", "webhook-id",
    "webhook-timestamp", "webhook-signature", "authorization",
)


def shell_quote(text: str) -> str:
    """Quote for a POSIX shell (bash, zsh): single quotes, or $'…' for control characters."""
    if all(ch in "\n\t" or ch >= " " for ch in text) and "\x7f" not in text:
        return "'" + text.replace("'", "'\\''") + "'"
    return "$'" + "".join(_ansi_c(ch) for ch in text) + "'"


def _ansi_c(ch: str) -> str:
    if ch in "\\'":
        return "\\" + ch
    if ch == "\n":
        return "\\n"
    if ch < " " or ch == "\x7f":
        return f"\\x{ord(ch):02x}"
    return ch


def header_name(name: str) -> str:
    """'x-shopify-hmac-sha256' → 'X-Shopify-Hmac-Sha256' (headers are stored lower-case)."""
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


def kept_headers(headers: Mapping[str, str], extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The headers worth sending again: content type, signatures, and `extra` names."""
    wanted = ("content-type", *SIGNATURE_HEADERS, *(name.lower() for name in extra))
    lowered = {name.lower(): value for name, value in headers.items()}
    seen: list[tuple[str, str]] = []
    for name in dict.fromkeys(wanted):
        if name in lowered:
            seen.append((header_name(name), lowered[name]))
    return seen


def _printf_bytes(raw: bytes) -> str:
    """A `printf '%b'` argument that writes `raw` back byte for byte (NUL bytes too)."""
    safe = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:;-_{}[]")
    return "'" + "".join(chr(b) if b in safe else f"\\0{b:03o}" for b in raw) + "'"


def curl_command(event: EventRecord, url: str, extra_headers: Iterable[str] = ()) -> str:
    """A curl command that sends `event` again to `url` (the rule's local address)."""
    if event.query:
        url = f"{url}?{urlencode(event.query, doseq=True)}"
    lines = [f"curl -X {event.method} {shell_quote(url)}"]
    headers = dict(event.headers)
    if "content-type" not in {name.lower() for name in headers} and event.content_type:
        headers["content-type"] = event.content_type
    left_out: list[str] = []
    for name, value in kept_headers(headers, extra_headers):
        if value == HIDDEN:
            left_out.append(name)
        else:
            lines.append(f"  -H {shell_quote(f'{name}: {value}')}")
    note = _left_out_note(left_out)
    if not event.body:
        return note + " \\\n".join(lines)
    try:
        text = event.body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        lines.append(f"  --data-binary {shell_quote(text)}")
        return note + " \\\n".join(lines)
    # Bytes a shell string cannot carry: printf writes them and curl reads its input.
    lines.append("  --data-binary @-")
    return note + f"printf '%b' {_printf_bytes(event.body)} | " + " \\\n".join(lines)


def _left_out_note(names: list[str]) -> str:
    """A shell comment line naming the credentials left out ('' when none was)."""
    if not names:
        return ""
    text = _("Left out: {headers}. Bellhop does not keep the credentials a sender sends; add them "
             "with -H 'Name: value' if the rule checks them.").format(
        headers=", ".join(names))
    return "# " + " ".join(text.split()) + "\n"  # one line, whatever the translation
