"""Honour the rate limits a server announces: quota headers, then 429 (or 503) Retry-After.

APIs say how many requests are left and when the window resets; once none are left, every
request to that host waits for the reset instead of being refused. A 429 (or a 503 with
Retry-After) is retried after the wait the server asks, a few times; a wait longer than
`crawl.rate_limit_max_wait_seconds` is not waited: the response goes to the spider, which
reports it by name, and the rest is left for the next run.

Headers read (names are case-insensitive):
- `X-RateLimit-Remaining` / `X-RateLimit-Reset`: Mastodon (reset: an ISO 8601 time) and
  Reddit (`X-Ratelimit-Reset`: seconds left; remaining may be a decimal such as `598.0`);
- `RateLimit-Remaining` / `RateLimit-Reset` (IETF draft): Bluesky (reset: a Unix time) and
  others (seconds left);
- `Retry-After`: seconds, or an HTTP date.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from crawlers.dates import parse_iso

log = logging.getLogger(__name__)

# (remaining, reset) header pairs, the usual first.
QUOTA_HEADERS = (
    (b"X-RateLimit-Remaining", b"X-RateLimit-Reset"),
    (b"RateLimit-Remaining", b"RateLimit-Reset"),
)
# A Unix time, not a number of seconds (no window lasts 30 years).
_EPOCH = 1e9


def seconds_until(value: str, now: float) -> float | None:
    """Seconds from `now` until a reset given as seconds left, a Unix time, an ISO 8601
    time or an HTTP date; None when the value is none of these."""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        moment: datetime | None = parse_iso(value)
        if moment is None:
            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return max(0.0, moment.timestamp() - now)
    if number > _EPOCH:
        return max(0.0, number - now)
    return max(0.0, number)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def quota_wait(response: Response, now: float) -> float | None:
    """When the response says no request is left: the seconds until the window resets."""
    for remaining_name, reset_name in QUOTA_HEADERS:
        remaining = _header(response, remaining_name)
        if remaining is None:
            continue
        try:
            left = float(remaining)
        except ValueError:
            continue
        if left >= 1:
            return None
        reset = _header(response, reset_name)
        return seconds_until(reset, now) if reset else None
    return None


def retry_wait(response: Response, now: float) -> float | None:
    """The wait a 429 (or a 503 that gives one) asks for: Retry-After, else the quota reset."""
    after = _header(response, b"Retry-After")
    if after is not None:
        wait = seconds_until(after, now)
        if wait is not None:
            return wait
    for _remaining, reset_name in QUOTA_HEADERS:
        reset = _header(response, reset_name)
        if reset is not None:
            wait = seconds_until(reset, now)
            if wait is not None:
                return wait
    return None


class RateLimitMiddleware:
    """Downloader middleware (after Redirect, before Retry: it sees 429s first)."""

    def __init__(self, crawler: Crawler, max_wait: float, retries: int, backoff: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.retries = retries
        self.backoff = backoff
        self.until: dict[str, float] = {}  # host -> wall-clock time its window reopens

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        return cls(
            crawler,
            s.getfloat("VEILLE_RATELIMIT_MAX_WAIT", 900.0),
            s.getint("VEILLE_RATELIMIT_RETRIES", 3),
            s.getfloat("VEILLE_RATELIMIT_BACKOFF", 30.0),
        )

    def _inc(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"veille/ratelimit/{key}", n)

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).netloc
        wait = self.until.get(host, 0.0) - time.time()
        if wait > 0:
            # Within the limit the server set: wait (the window is short, or this request
            # would not have been scheduled), then go.
            self._inc("waits")
            self._inc("waited_ms", round(wait * 1000))
            await asyncio.sleep(wait)
        return None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        now = time.time()
        host = urlparse_cached(request).netloc
        limited = response.status == 429 or (
            response.status == 503 and response.headers.get(b"Retry-After") is not None
        )
        if not limited:
            wait = quota_wait(response, now)
            if wait is not None and wait > 0:
                self.until[host] = max(self.until.get(host, 0.0), now + min(wait, self.max_wait))
                self._inc("exhausted")
            return response
        tries = int(request.meta.get("veille_ratelimit_tries", 0))
        asked = retry_wait(response, now)
        wait = asked if asked is not None else self.backoff * (2**tries)
        self._inc(str(response.status))
        if tries >= self.retries or wait > self.max_wait:
            self._inc("gave_up")
            request.meta["veille_ratelimit_wait"] = wait  # the spider's report names it
            request.meta["dont_retry"] = True  # nor at once by Retry (a 503 with Retry-After)
            log.warning(
                "%s answered %s after %d tries; asked to wait %.0f s (limit %.0f s)",
                host, response.status, tries + 1, wait, self.max_wait,
            )  # fmt: skip
            return response
        self.until[host] = max(self.until.get(host, 0.0), now + wait)
        retry = request.replace(dont_filter=True)
        retry.meta["veille_ratelimit_tries"] = tries + 1
        return retry


def settings_for(max_wait: float, retries: int = 3) -> dict[str, Any]:
    """The Scrapy settings enabling the middleware (crawlers/settings.py)."""
    return {
        "DOWNLOADER_MIDDLEWARES": {"crawlers.ratelimit.RateLimitMiddleware": 580},
        # 429 is this middleware's: Retry would retry it at once, without waiting.
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
        "VEILLE_RATELIMIT_MAX_WAIT": max_wait,
        "VEILLE_RATELIMIT_RETRIES": retries,
    }
