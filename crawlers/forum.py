"""The forum crawl: listings → threads → posts, incremental (per-thread state in the database).

An engine (phpBB, vBulletin, XenForo, generic…) only says where things are on a page; this
module decides what to fetch: threads older than the source's look-back end the listing,
threads unchanged since the last run are skipped unless active in the last `revisit_days`,
and a known thread is resumed at the page where the last run stopped. A source's URL may
also be one thread page. The crawl stays on the source's site. A thread page where the
engine reads no post (or posts without any author or text) is reported as broken with its
URL (`veille/broken_pages`): a changed theme must not look like a quiet forum.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlparse, urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawlers.engines import AUTO, ENGINES, HtmlEngine, detect_engine, html_engine
from crawlers.items import MentionBatch
from crawlers.posts import ForumPost, PageReading, ThreadRow
from crawlers.spiders.base import SourceSpider
from storage.clock import utcnow
from storage.crawl_state import ThreadState
from storage.records import AuthorRecord, MentionRecord

log = logging.getLogger(__name__)


class ForumSpider(SourceSpider):
    """Abstract: a spider crawling one forum with an `HtmlEngine` (set or detected)."""

    source_kind = "forum"
    engine_name: ClassVar[str | None] = None  # fixed by engine spiders; None: from config
    allowed_domains: list[str]  # the source's host (Scrapy's offsite filter reads it)

    def __init__(
        self, source: str, now: str | None = None, thread_pages: str | int | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(source, now=now, **kwargs)
        self.engine: HtmlEngine | None = None
        self.states: dict[str, ThreadState] = {}
        # At most this many pages of each thread (None: all); a probe reads one.
        self.thread_pages = int(thread_pages) if thread_pages else None
        self.broken: list[dict[str, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        host = urlparse(str(spider.source.url)).hostname or ""
        # Stay on the forum: links elsewhere (ads, a copied page's old host) are not followed.
        spider.allowed_domains = [host.removeprefix("www.")] if host else []
        return spider

    # -- set-up -------------------------------------------------------------------------
    @property
    def loader_context(self) -> dict[str, Any]:
        options = self.source.options
        return {
            "timezone": self.source.timezone,
            "now": self.now,
            "date_order": options.get("date_order"),  # None: from the page's language
            "remove": tuple(options.get("remove", ())),
        }

    @property
    def cutoff(self) -> datetime:
        return self.now - timedelta(days=self.source.lookback_days)

    @property
    def revisit_since(self) -> datetime:
        return self.now - timedelta(days=self.source.revisit_days)

    def load_states(self) -> None:
        self.states = self.thread_states()

    def choose_engine(self, response: TextResponse) -> str | None:
        wanted = self.engine_name or self.source.engine
        if wanted != AUTO:
            return wanted
        found = detect_engine(response, self.source.options)
        if found is None:
            self.count("errors")
            log.error(
                "%s: could not tell which forum engine %s runs; set its engine (one of %s; generic "
                "with selectors in its options)",
                self.source.name,
                response.url,
                ", ".join(ENGINES),
            )
        else:
            log.info("%s: detected engine %s", self.source.name, found)
            self.count("engine/" + found)
        return found

    async def start(self) -> AsyncIterator[Any]:
        self.load_states()
        for request in self.first_requests():
            yield request

    def first_requests(self) -> list[Request]:
        return [Request(str(self.source.url), callback=self.parse_first)]

    def parse_first(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.count("errors")
            log.error("%s: %s is not a text page", self.source.name, response.url)
            return
        name = self.choose_engine(response)
        if name is None:
            return
        if name == "discourse" and not self.source.options.get("html"):
            yield from self.start_discourse(response)
            return
        self.engine = html_engine(name, self.source.options)
        reading = self.engine.read(response, self.loader_context)
        if reading.posts:  # the source's URL is a thread page: read it as one
            row = ThreadRow(
                thread_id=self.engine.thread_id(response),
                url=response.url,
                title=self.engine.thread_title(response),
            )
            yield from self.parse_thread(response, row, reading=reading)
            return
        yield from self.parse_listing(response, first=True)

    def start_discourse(self, response: TextResponse) -> Iterator[Any]:
        log.error("%s: this spider cannot crawl Discourse; use kind: discourse", self.source.name)
        return iter(())

    # -- listings -----------------------------------------------------------------------
    def parse_listing(self, response: Response, first: bool = False) -> Iterator[Any]:
        assert self.engine is not None and isinstance(response, TextResponse)
        self.count("pages")
        forums = self.engine.forum_links(response)
        for url in forums:
            yield response.follow(url, callback=self.parse_listing)
        too_old = False
        rows = self.engine.thread_rows(response, self.loader_context)
        if first and not rows and not forums:
            self.report_broken(
                response,
                f"neither forums, threads nor posts found by the {self.engine.name} engine",
            )
        for row in rows:
            if row.last_post_at is not None and row.last_post_at < self.cutoff:
                if not row.sticky:
                    too_old = True
                continue
            request = self.thread_request(row)
            if request is None:
                self.count("threads_unchanged")
                continue
            yield request
        next_url = self.engine.next_listing(response)
        if next_url and not too_old:
            yield response.follow(next_url, callback=self.parse_listing)

    def decide(self, row: ThreadRow) -> str | None:
        """ "new", "resumed" (fetch from the last page seen) or None (nothing can be new)."""
        state = self.states.get(row.thread_id)
        if state is None:
            return "new"
        recently_active = state.last_post_at is not None and state.last_post_at >= (
            self.revisit_since
        )
        unchanged = (
            row.last_post_at is not None
            and state.last_post_at is not None
            and row.last_post_at <= state.last_post_at
        )
        return None if unchanged and not recently_active else "resumed"

    def thread_request(self, row: ThreadRow) -> Request | None:
        """The request fetching what is new in a thread, or None when nothing can be new."""
        decision = self.decide(row)
        if decision is None:
            return None
        self.count(f"threads_{decision}")
        state = self.states.get(row.thread_id)
        return Request(
            resume_url(state, row) if state else row.url,
            callback=self.parse_thread,
            cb_kwargs={"row": row},
            dont_filter=state is not None,
        )

    # -- threads ------------------------------------------------------------------------
    def parse_thread(
        self,
        response: Response,
        row: ThreadRow,
        last: ForumPost | None = None,
        page: int = 1,
        reading: PageReading | None = None,
    ) -> Iterator[Any]:
        assert self.engine is not None and isinstance(response, TextResponse)
        self.count("pages")
        title = self.engine.thread_title(response) or row.title
        if reading is None:
            reading = self.engine.read(response, self.loader_context)
        posts = reading.posts
        self.check_reading(response, reading)
        if posts:  # one item per page: Scrapy's cost per item is paid once, not per post
            yield MentionBatch([self.post_mention(p, row, title, response.url) for p in posts])
        if posts:
            last = max(posts, key=lambda p: p.published_at or datetime.min.replace(tzinfo=UTC))
        next_url = self.engine.next_thread_page(response)
        if next_url and (self.thread_pages is None or page < self.thread_pages):
            yield response.follow(
                next_url,
                callback=self.parse_thread,
                cb_kwargs={"row": row, "last": last, "page": page + 1},
            )
            return
        previous = self.states.get(row.thread_id)
        yield ThreadState(
            source=self.source.name,
            thread_id=row.thread_id,
            url=row.url,
            title=title,
            last_post_id=last.post_id if last else (previous.last_post_id if previous else None),
            last_post_at=(last.published_at if last else None) or row.last_post_at,
            last_page=self.engine.page_number(response),
            last_page_url=response.url,
            posts_seen=len(posts),
            last_seen_at=utcnow(),
        )

    def check_reading(self, response: TextResponse, reading: PageReading) -> None:
        """Report a thread page whose posts the engine cannot read (a changed theme)."""
        if not reading.posts:
            tried = ", ".join(reading.tried) or "none"
            reason = (
                f"no post found by the {self.engine.name if self.engine else '?'} markups ({tried})"
            )
        elif not any(p.author for p in reading.posts):
            reason = f"{len(reading.posts)} posts found but no author ({reading.markup} markup)"
        elif not any(p.body for p in reading.posts):
            reason = f"{len(reading.posts)} posts found but no text ({reading.markup} markup)"
        else:
            return
        self.report_broken(response, reason)

    def report_broken(self, response: TextResponse, reason: str) -> None:
        self.count("broken_pages")
        log.warning(
            "%s: %s on %s: has the forum's theme changed?", self.source.name, reason, response.url
        )
        self.broken.append({"url": response.url, "reason": reason})
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("veille/broken", self.broken[:20])

    def post_mention(
        self, post: ForumPost, row: ThreadRow, title: str | None, page_url: str
    ) -> MentionRecord:
        author = None
        if post.author:
            author = AuthorRecord(
                handle=post.author,
                name=post.author,
                profile_url=post.author_url,
                post_count=post.author_posts,
            )
        post_url = post.url or (f"{page_url}#p{post.post_id}" if post.post_id else page_url)
        raw = post.raw()
        raw.update(thread_id=row.thread_id, thread_title=title, thread_url=row.url)
        if post.post_id:
            external_id = post.post_id
        else:  # no id on the page: the post's own content identifies it
            key = f"{row.thread_id}|{post.author}|{post.date_text}|{(post.body or '')[:500]}"
            external_id = f"{row.thread_id}-{hashlib.sha1(key.encode()).hexdigest()[:16]}"
        return self.mention(
            external_id=external_id,
            text=post.body or "",
            url=post_url,
            thread_id=row.thread_id,
            thread_title=title,
            thread_url=row.url,
            # the post its quote names (a reply without one answers the thread: the report and
            # the workspace read it as answering the opening post, see storage/replies.py)
            parent_id=post.reply_to if post.reply_to != external_id else None,
            published_at=post.published_at,
            likes=post.likes,
            author=author,
            raw=raw,
        )


def resume_url(state: ThreadState, row: ThreadRow) -> str:
    """Where a known thread is read again: the last page seen, unless the listing now links
    the thread on another site (the forum moved: https, a new domain or port) — the stored
    page's site may be gone, so the thread is read from the listing's link (its first page;
    posts stored before are not stored twice)."""
    last = state.last_page_url
    if not last:
        return row.url
    before, now = urlsplit(last), urlsplit(row.url)
    return last if (before.scheme, before.netloc) == (now.scheme, now.netloc) else row.url
