"""Review pages and review platforms: reviews, ratings and the company's replies, page by page.

Each page is read by every reader of `crawlers.reviews` (schema.org JSON-LD and microdata,
Next.js `__NEXT_DATA__` of Trustpilot-style platforms); the one that found the most wins. A
review is one mention (rating on a 5-point scale); the company's reply is another, by the
company marked as the brand's own account, whose parent is the review. Pages follow
`rel="next"` links (or `options.next_page`), newest first, down to the look-back or, on the
next runs, to the reviews the last run saw (less `revisit_days`, for replies written since).
A page that should hold reviews and yields none is reported broken: its markup has changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawlers.reviews import PageReviews, Review, next_data, schema_org
from crawlers.reviews.schema_org import find_reviews
from crawlers.spiders.base import SourceSpider
from storage.clock import utcnow
from storage.crawl_state import ThreadState
from storage.records import OWN_ACCOUNT, AuthorRecord, MentionRecord

__all__ = ["ReviewSpider", "find_reviews"]

READERS = (next_data.read, schema_org.read)  # on a tie, the first: it carries the replies
NEXT_PAGE = (
    "a[rel=next]::attr(href), link[rel=next]::attr(href), "
    "a[name=pagination-button-next]::attr(href)"
)
STREAM = "reviews"  # the crawl-state row of a review source: the newest review seen


class ReviewSpider(SourceSpider):
    name = "reviews"
    source_kind = "reviews"

    def __init__(self, source: str, *args: Any, now: str | None = None, **kwargs: Any) -> None:
        super().__init__(source, *args, now=now, **kwargs)
        self.state: ThreadState | None = None

    async def start(self) -> AsyncIterator[Any]:
        self.state = self.thread_states().get(STREAM)
        yield Request(str(self.source.url), callback=self.parse)

    @property
    def stop_at(self) -> datetime:
        """Reviews older than this were read by an earlier run (or are past the look-back)."""
        cutoff = self.now - timedelta(days=self.source.lookback_days)
        if self.state is not None and self.state.last_post_at is not None:
            seen = self.state.last_post_at - timedelta(days=self.source.revisit_days)
            return max(cutoff, seen)
        return cutoff

    def read_page(self, response: TextResponse) -> PageReviews | None:
        found = [r for r in (read(response, self.source.timezone) for read in READERS) if r]
        return max(found, key=lambda page: len(page.reviews)) if found else None

    def parse(
        self,
        response: Response,
        page: int = 1,
        before: int = 0,
        newest: tuple[str, datetime] | None = None,
    ) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.report_error(f"{self.source.name}: {response.url} is not a text page")
            return
        self.count("pages")
        found = self.read_page(response)
        if found is None or not found.reviews:
            self.no_reviews(response, found, before)
            if newest is not None:
                yield self.done(response, newest)
            return
        stop_at = self.stop_at
        seen = False  # a review read before (or past the look-back): the pages after it are
        for index, review in enumerate(found.reviews):  # older still (newest first)
            if review.published_at is not None and review.published_at < stop_at:
                seen = True
                continue
            mention = self.review_mention(review, found, response, index)
            if mention.published_at is not None and (
                newest is None or mention.published_at > newest[1]
            ):
                newest = (mention.external_id, mention.published_at)
            yield mention
            if review.reply is not None and review.reply.text:
                yield self.reply_mention(review, mention, found)
        next_url = response.css(self.source.options.get("next_page", NEXT_PAGE)).get()
        if next_url and not seen:
            yield response.follow(
                next_url,
                callback=self.parse,
                cb_kwargs={
                    "page": page + 1,
                    "before": before + len(found.reviews),
                    "newest": newest,
                },
            )
            return
        if next_url:
            self.count("reviews/stopped_at_seen")
        if newest is not None:
            yield self.done(response, newest)

    def no_reviews(self, response: TextResponse, found: PageReviews | None, before: int) -> None:
        """A page without reviews: fine when it says it has none (or no more); otherwise its
        markup changed, and the source is broken until a person looks."""
        if found is None:
            why = "carries neither schema.org reviews nor embedded review data"
        elif found.expected is not None and found.expected > before:
            why = f"says there are {found.expected:,} reviews ({found.reader})"
        else:
            return
        self.report_error(
            f"{self.source.name}: no review found on {response.url}, which {why}: its markup "
            "has probably changed; check the page (and the review readers, crawlers/reviews/)",
            broken=True,
        )

    def done(self, response: TextResponse, newest: tuple[str, datetime]) -> ThreadState:
        return ThreadState(
            source=self.source.name,
            thread_id=STREAM,
            url=str(self.source.url),
            title=None,
            last_post_id=newest[0],
            last_post_at=newest[1],
            last_page=1,
            last_seen_at=utcnow(),
        )

    def review_mention(
        self, review: Review, page: PageReviews, response: TextResponse, index: int
    ) -> MentionRecord:
        review_id = review.review_id
        if not review_id:
            key = f"{response.url}|{review.author}|{review.date_text}|{review.body[:500]}"
            review_id = hashlib.sha1(key.encode()).hexdigest()
        raw = {
            "review": review.raw,
            "aggregate": page.aggregate,
            "page": response.url,
            "reader": page.reader,
            "rating_value": review.rating,
            "best_rating": review.best,
        }
        # One scale for every site: out of 5 (a 8/10 is stored as 4.0).
        five = (
            round(review.rating * 5 / review.best, 2)
            if review.rating is not None and review.best > 0
            else None
        )
        author = None
        if review.author:
            author = AuthorRecord(
                handle=review.author,
                name=review.author,
                profile_url=review.author_url,
                post_count=review.author_reviews,
            )
        return self.mention(
            external_id=review_id,
            text=review.body,
            title=review.title,
            url=response.urljoin(review.url) if review.url else response.url,
            thread_id=page.company_id,
            thread_title=review.about or page.company,
            thread_url=page.company_url or response.url,
            published_at=review.published_at,
            rating=five,
            likes=review.likes,
            lang=review.lang or self.source.language,
            author=author,
            raw=raw,
        )

    def reply_mention(
        self, review: Review, parent: MentionRecord, page: PageReviews
    ) -> MentionRecord:
        """The company's reply: its own mention, by the brand, answering the review."""
        assert review.reply is not None
        reply = review.reply
        name = reply.author or page.company or self.source.options.get("brand") or "company"
        return self.mention(
            external_id=f"{parent.external_id}/reply",
            text=reply.text,
            url=parent.url,
            thread_id=parent.thread_id,
            thread_title=parent.thread_title,
            thread_url=parent.thread_url,
            parent_id=parent.external_id,
            published_at=reply.published_at,
            lang=parent.lang,
            author=AuthorRecord(
                handle=name,
                name=name,
                profile_url=page.company_url,
                extra={OWN_ACCOUNT: True},
            ),
            raw={"reply": reply.raw, "review_id": parent.external_id, "reader": page.reader},
        )
