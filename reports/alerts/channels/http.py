"""POSTing JSON to a webhook under the delivery guarantee: retried only before the hand-over.

Connecting (DNS, TCP, TLS) may fail and be tried again: the receiver has nothing yet. The mark
is recorded just before the request is written; if the request cannot be written whole, the
receiver never had a complete body and the mark is undone. Once it is written, a timeout or a
lost connection before the response raises `Unconfirmed` (the receiver may have acted on it);
a response with a status of 400 or more is a clear refusal (not handed over, tried again by the
next check), 2xx is delivered. Redirects are not followed.
"""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

from reports.alerts.channels.base import Channel
from reports.alerts.mailer import Handover, SendError, Unconfirmed

if TYPE_CHECKING:
    from reports.alerts.letter import Letter

log = logging.getLogger(__name__)


class _NotHandedOver(Exception):
    pass


def post_json(
    url: str,
    body: bytes,
    headers: Mapping[str, str] | Callable[[], Mapping[str, str]],
    handover: Handover,
    *,
    timeout: float,
    retries: int,
    backoff: float,
    label: str,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """POST `body` to `url`; returns the response status. `headers` may be a function, called
    at each attempt (a signature over the time of sending)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SendError(f"{label}: the webhook URL is not an http(s) URL")
    last = "unknown error"
    delay = backoff
    for attempt in range(retries + 1):
        try:
            return _post_once(parts, body, headers, handover, timeout)
        except _NotHandedOver as exc:
            last = str(exc)
            log.warning(
                "posting to %s failed before the hand-over (attempt %d of %d): %s",
                label, attempt + 1, retries + 1, last,
            )  # fmt: skip
            if attempt < retries:
                sleep(delay)
                delay *= 2
    raise SendError(f"could not post to {label} after {retries + 1} attempts: {last}")


def _post_once(
    parts: SplitResult,
    body: bytes,
    headers: Mapping[str, str] | Callable[[], Mapping[str, str]],
    handover: Handover,
    timeout: float,
) -> int:
    host = parts.hostname or ""
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            host, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        try:
            conn.connect()
        except OSError as exc:
            raise _NotHandedOver(_describe(exc)) from None
        values = dict(headers() if callable(headers) else headers)
        try:
            handover.mark()
        except Exception as exc:  # the mark could not be recorded: nothing leaves
            raise _NotHandedOver(f"could not record the hand-over: {_describe(exc)}") from None
        try:
            conn.putrequest("POST", path, skip_accept_encoding=True)
            for name, value in {
                **values, "Content-Type": "application/json; charset=utf-8",
                "Content-Length": str(len(body)),
            }.items():  # fmt: skip
                conn.putheader(name, value)
            conn.endheaders(body)
        except OSError as exc:
            handover.undo()  # not every byte was written: the receiver has no whole request
            raise _NotHandedOver(f"the connection broke while sending: {_describe(exc)}") from None
        try:
            response = conn.getresponse()
            status = response.status
            response.read(65536)
        except (OSError, http.client.HTTPException) as exc:
            raise Unconfirmed(
                f"the request was sent but no answer came ({_describe(exc)}); the receiver may "
                "have acted on it, so it is not sent again automatically"
            ) from None
        if 200 <= status < 300:
            return status
        handover.undo()
        raise _NotHandedOver(f"HTTP {status} {response.reason}".strip())
    finally:
        conn.close()


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


class HttpChannel(Channel):
    """A channel posting JSON to a URL read from the environment (`url_env`)."""

    def payload(self, letter: Letter) -> dict[str, Any]:
        raise NotImplementedError

    def headers(self, letter: Letter, data: bytes) -> Callable[[], dict[str, str]]:
        """Headers computed at each attempt (a signature over the time of sending)."""
        return dict

    def send(self, letter: Letter, handover: Handover) -> str:
        options = self.target.options
        url = self.target.secret("url_env")
        data = json.dumps(self.payload(letter), ensure_ascii=False, separators=(",", ":"))
        body = data.encode("utf-8")
        post_json(
            url, body, self.headers(letter, body), handover,
            timeout=options.timeout_seconds if options else 10.0,
            retries=options.retries if options else 2,
            backoff=options.backoff_seconds if options else 1.0,
            label=f"{self.name} target {self.target.name}",
        )  # fmt: skip
        return f"{self.name}:{self.target.name}"  # never the URL: it is a secret
