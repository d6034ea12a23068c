"""What a site sends that cannot be read, named: robots.txt refusals, redirect loops, and
pages whose bytes are not text in their encoding.

Scrapy drops the first two silently (an `IgnoreRequest` logged at DEBUG), so a source whose
first page robots.txt forbids, or whose URL redirects in a loop, looked like "timeout, refused
connection or not a forum" with no error; and it decodes a page with invalid bytes by
replacing them, so the stored text came out garbled. The robots.txt and redirect middlewares
replace Scrapy's own (same order, same behaviour) and record what was refused: the URLs
robots.txt forbade (`veille/robots_forbidden`) and the loops (`veille/redirect_loops`, each
an error of the crawl, said by name). `UndecodablePages` drops a page that does not decode,
as an error naming the page: nothing of it is stored.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

_KEPT = 20  # URLs kept per list: enough to name the problem


def _note(crawler: Any, key: str, value: str) -> None:
    stats = crawler.stats
    if stats is None:
        return
    listed = list(stats.get_value(key, []))
    if value not in listed and len(listed) < _KEPT:
        stats.set_value(key, [*listed, value])


class NamedRobotsTxt(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, keeping the URLs it forbade."""

    def process_request_2(self, rp: Any, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            _note(self.crawler, "veille/robots_forbidden", request.url)
            raise


class NamedRedirects(RedirectMiddleware):
    """Scrapy's redirect middleware; a redirect back to a URL of the same chain, or one
    redirect too many, is an error of the crawl naming the chain."""

    def _redirect(self, redirected: Request, request: Request, reason: str | int) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        looped = redirected.url in chain
        too_many = request.meta.get("redirect_times", 0) + 1 > self.max_redirect_times
        if looped or too_many:
            shown = " → ".join([*chain[-4:], redirected.url])
            message = (
                f"{chain[0]} redirects in a loop ({shown})"
                if looped
                else f"{chain[0]} redirects more than {self.max_redirect_times} times ({shown})"
            )
            _note(self.crawler, "veille/redirect_loops", message)
            report = getattr(self.crawler.spider, "report_error", None)
            if report is not None:  # a Veille spider: counted and listed by name
                report(f"{message}; check the source's url")
            raise IgnoreRequest(message)
        return super()._redirect(redirected, request, reason)


class UndecodablePages:
    """A text page (HTML, XML, JSON) with bytes its encoding cannot decode is an error and
    goes no further: better no mention than a garbled one."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> UndecodablePages:
        return cls(crawler)

    def process_response(self, request: Request, response: Any, spider: Any = None) -> Any:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        text = response.text
        # A replacement character the page did not hold itself: decoding failed somewhere.
        if "\ufffd" in text and text.count("\ufffd") > response.body.count(b"\xef\xbf\xbd"):
            message = (
                f"{response.url}: bytes that are not {response.encoding} text (a corrupt or "
                "mislabelled page); nothing of it was stored"
            )
            report = getattr(self.crawler.spider, "report_error", None)
            if report is not None:
                report(message)
            raise IgnoreRequest(message)
        return response


MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.refusals.NamedRobotsTxt": 100,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawlers.refusals.NamedRedirects": 600,
    # Responses go through middlewares in decreasing order: below 590, the body is unpacked.
    "crawlers.refusals.UndecodablePages": 585,
}
