"""What every API spider shares: secrets from the environment, answers read with their errors
named, and a cursor per stream (a hashtag, a query, a subreddit, a video) in the crawl state.

A stream's state is a row of `crawl_threads` (thread id `tag:lumino`, `search:lumino`…):
`last_post_id` is the newest item seen (the since-id), `last_post_at` its date. Each run reads
a stream newest first and stops at the first item already seen, at the look-back, or after
`max_pages`; the new state is written once the stream is read, after its mentions.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Generator, Iterable, Iterator
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any, ClassVar
from urllib.parse import urlencode

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from config.source_options import OPTIONS
from crawlers.spiders.base import SourceSpider
from storage.clock import utcnow
from storage.crawl_state import ThreadState

# Where the crawl log would show a secret, this stands instead.
HIDDEN = "***"


def status_name(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def link_next(header: bytes | str | None) -> str | None:
    """The `rel="next"` URL of an RFC 8288 Link header (Mastodon's pagination)."""
    if not header:
        return None
    text = header.decode("latin-1") if isinstance(header, bytes) else header
    for part in text.split(","):
        url, _, params = part.partition(";")
        rels = [p.strip() for p in params.split(";") if p.strip().startswith("rel=")]
        if any("next" in r.split("=", 1)[1].strip("\"' ").split() for r in rels):
            return url.strip().strip("<>")
    return None


def error_text(data: Any) -> str | None:
    """The API's own words about an error: `message`, `error` or `error.message`, nested."""
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            return error_text(error)
        parts = [str(data[k]) for k in ("error", "message", "error_description") if data.get(k)]
        return ": ".join(dict.fromkeys(parts)) or None
    return None


class ApiSpider(SourceSpider):
    """Abstract: subclasses set `name`, `source_kind`, `network` and `first_requests`."""

    network: ClassVar[str] = ""  # the API's name in messages: Mastodon, Reddit…

    def __init__(self, source: str, *args: Any, now: str | None = None, **kwargs: Any) -> None:
        super().__init__(source, *args, now=now, **kwargs)
        self.states: dict[str, ThreadState] = {}
        self.relogins = 0

    @property
    def options(self) -> Any:
        return OPTIONS[self.source_kind].model_validate(self.source.options)

    @property
    def cutoff(self) -> datetime:
        return self.now - timedelta(days=self.source.lookback_days)

    @property
    def base(self) -> str:
        return str(self.source.url).rstrip("/")

    # -- start ------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        self.load_states()
        for request in self.first_requests():
            yield request

    def first_requests(self) -> Iterable[Request]:
        raise NotImplementedError

    def load_states(self) -> None:
        self.states = self.thread_states()

    # -- secrets ----------------------------------------------------------------------------
    @staticmethod
    def secret(variable: str) -> str | None:
        """A secret from the environment (never from the config, never logged)."""
        value = os.environ.get(variable, "").strip()
        return value or None

    def need_secrets(self, *options: str) -> dict[str, str] | None:
        """The secrets named by these options (`client_id_env`…); when one is not set, the
        source is reported broken with the variables to set, and None is returned."""
        names = {option: getattr(self.options, option) for option in options}
        missing = [name for name in names.values() if self.secret(name) is None]
        if missing:
            self.report_error(
                f"{self.source.name}: the {self.network} credentials are missing: set the "
                f"environment variable{'s' if len(missing) > 1 else ''} {' and '.join(missing)} "
                f"(their names are the source's options {', '.join(options)})",
                broken=True,
            )
            return None
        return {option: self.secret(name) or "" for option, name in names.items()}

    def auth_headers(self) -> dict[str, str]:
        """Headers every API request carries (a bearer token…); none by default."""
        return {}

    # -- requests and answers ---------------------------------------------------------------
    def api_request(
        self,
        url: str,
        callback: Any,
        *,
        params: dict[str, Any] | list[tuple[str, Any]] | None = None,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: bytes | str | None = None,
        cb_kwargs: dict[str, Any] | None = None,
        authorised: bool = True,
    ) -> Request:
        if params:
            items = params.items() if isinstance(params, dict) else params
            query = urlencode([(k, v) for k, v in items if v is not None])
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        return Request(
            url,
            method=method,
            headers={
                "Accept": "application/json",
                **(self.auth_headers() if authorised else {}),
                **(headers or {}),
            },
            body=body,
            callback=callback,
            errback=self.unreachable,
            cb_kwargs=cb_kwargs or {},
            dont_filter=True,  # pages of a cursor, and retries after a new login
            meta={
                # Every status reaches the callback, which names the error.
                "handle_httpstatus_all": True,
                # An API is used under its terms and its rate-limit headers, not robots.txt
                # (written for web pages; Reddit's disallows everything).
                "dont_obey_robotstxt": True,
            },
        )

    def read(self, response: Response, what: str) -> Generator[Any, None, Any]:
        """Generator: `data = yield from self.read(response, "the #lumino timeline")`.

        Returns the JSON of a 2xx answer. Otherwise it names the error (and may yield the
        requests that recover from it: a new login, then the request again) and returns None.
        """
        if 200 <= response.status < 300:
            try:
                data = json.loads(response.body or b"null")
            except ValueError:
                self.report_error(
                    f"{self.source.name}: {self.network} answered {what} with something that "
                    f"is not JSON ({(response.headers.get('Content-Type') or b'').decode()}); "
                    f"check the source's url {self.source.url}"
                )
                return None
            self.count("pages")
            return data
        try:
            data = json.loads(response.body or b"null")
        except ValueError:
            data = None
        yield from self.on_error(response, data, what)
        return None

    def on_error(self, response: Response, data: Any, what: str) -> Iterator[Any]:
        """Name an error answer; subclasses first handle what they can recover from."""
        status = response.status
        said = error_text(data)
        detail = f" ({said})" if said else ""
        name = f"{self.source.name}: {self.network} answered {status_name(status)}{detail}"
        if status == 401:
            self.report_error(f"{name} for {what}: {self.credential_advice()}", broken=True)
        elif status == 403:
            self.report_error(f"{name} for {what}: {self.forbidden_advice(data)}", broken=True)
        elif status == 404:
            self.report_error(f"{name} for {what}: check the source's options", broken=True)
        elif status == 429:
            wait = response.meta.get("veille_ratelimit_wait")
            asked = f"it asks to wait {wait:,.0f} s" if isinstance(wait, float) else "rate limit"
            self.report_error(
                f"{name} for {what}: {asked}, more than crawl.rate_limit_max_wait_seconds or "
                "after every retry; the rest is left for the next run"
            )
        elif status >= 500:
            tries = int(response.meta.get("retry_times", 0)) + 1
            self.report_error(
                f"{name} for {what} after {tries} tries; the rest is left for the next run",
                counted="retry_times" in response.meta,
            )
        else:
            self.report_error(f"{name} for {what}: {response.url}")
        return iter(())

    def credential_advice(self) -> str:
        return "the credentials were refused"

    def forbidden_advice(self, data: Any) -> str:
        return "access is refused; check the credentials and the source's options"

    def unreachable(self, failure: Failure) -> None:
        """A request that failed without an answer (refused connection, timeouts retried)."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.report_error(
            f"{self.source.name}: {self.network} could not be reached at {url} "
            f"({failure.getErrorMessage() or type(failure.value).__name__})",
            counted=True,
        )

    # -- state of the streams ---------------------------------------------------------------
    def known(self, stream: str) -> ThreadState | None:
        return self.states.get(stream)

    def stream_done(
        self,
        stream: str,
        url: str,
        newest_id: str | None,
        newest_at: datetime | None,
        seen: int,
        title: str | None = None,
    ) -> ThreadState:
        """The item recording how far a stream was read (written after its mentions)."""
        previous = self.states.get(stream)
        return ThreadState(
            source=self.source.name,
            thread_id=stream,
            url=url,
            title=title,
            last_post_id=newest_id or (previous.last_post_id if previous else None),
            last_post_at=newest_at or (previous.last_post_at if previous else None),
            last_page=1,
            posts_seen=seen,
            last_seen_at=utcnow(),
        )

    def skip(self, reason: str) -> None:
        """An item left out on purpose (deleted, removed…): counted under its reason."""
        self.count(f"dropped/{reason}")
