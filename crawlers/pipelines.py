"""Item pipelines every mention passes: normalise → match brands → de-duplicate → store."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.logformatter import LogFormatter, LogFormatterResult

from config.settings import SourceKind
from crawlers.items import Ack, MentionBatch
from crawlers.text import html_to_text, normalise_text
from storage.clock import utcnow
from storage.crawl_state import ThreadState
from storage.records import MentionRecord
from storage.upsert import batch_size_for

EXPORT_KINDS = {kind.value for kind in SourceKind.exports()}
ACK_PAGES = 50  # a crawl worker commits at least every 50 pages…
ACK_SECONDS = 2.0  # …or 2 seconds


def drop(crawler: Crawler, reason: str) -> DropItem:
    """Count a drop under its reason in the crawl stats and return the exception to raise."""
    if crawler.stats is not None:
        crawler.stats.inc_value(f"veille/dropped/{reason}")
    return DropItem(reason)


class _Stage:
    """A pipeline stage that keeps its crawler (for stats and settings)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def each(self, batch: MentionBatch) -> MentionBatch:
        """A batch (fast path of big imports) goes record by record; drops leave the batch."""
        kept = []
        for record in batch.records:
            try:
                kept.append(self.process_item(record))  # type: ignore[attr-defined]
            except DropItem:
                continue
        batch.records = kept
        return batch


class NormalisePipeline(_Stage):
    """Plain text, UTC timestamps, collected_at set; a mention without text is dropped."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, MentionBatch):
            now = utcnow()  # one collection time for the batch (a clock read less)
            for record in item.records:
                if record.collected_at is None:
                    record.collected_at = now
            return self.each(item)
        if not isinstance(item, MentionRecord):
            return item
        item.text = html_to_text(item.text) if "<" in item.text else normalise_text(item.text)
        for field in ("title", "thread_title"):
            value = getattr(item, field)
            if value:
                setattr(item, field, html_to_text(value) if "<" in value else normalise_text(value))
        if not item.text and not item.title:
            raise drop(self.crawler, "no text")
        if not item.external_id:
            raise drop(self.crawler, "no id")
        if item.published_at is not None and item.published_at.tzinfo is None:
            raise drop(self.crawler, "naive date")
        if item.published_at is not None and item.published_at.tzinfo is not UTC:
            item.published_at = item.published_at.astimezone(UTC)
        if item.collected_at is None:
            item.collected_at = utcnow()
        return item


class MatchBrandsPipeline(_Stage):
    """Attach brands; web mentions matching no brand are dropped, exports are all kept."""

    def __init__(self, crawler: Crawler) -> None:
        from nlp.brands import BrandMatcher

        super().__init__(crawler)
        settings = crawler.settings.get("VEILLE_SETTINGS")
        self.matcher = BrandMatcher.from_brands(settings.brands if settings is not None else [])

    def process_item(self, item: Any) -> Any:
        if isinstance(item, MentionBatch):
            return self.each(item)
        if not isinstance(item, MentionRecord):
            return item
        from nlp.brands import MatchDoc

        doc = MatchDoc(
            text=item.text,
            title=item.title or item.thread_title,
            author=item.author.handle if item.author else None,
            url=item.url,
            lang=item.lang,
            source_kind=item.source_kind,
        )
        matched = self.matcher.match(doc)
        # A source about one brand (options.brand: a review page, the brand's channel) has
        # set it already; what the queries find is added, with the terms they matched.
        found = {m.brand for m in matched}
        item.brands = matched + [b for b in item.brands if b.brand not in found]
        # A post of a brand's own account that names no brand is kept all the same, about no
        # brand: a care account's « envoyez-nous votre numéro en privé » is its answer to a
        # post (storage.replies), not a mention that counts.
        if (
            not item.brands
            and item.source_kind not in EXPORT_KINDS
            and not self.matcher.is_own(doc)
        ):
            raise drop(self.crawler, "no brand")
        return item


class DedupePipeline(_Stage):
    """The same (source, external_id) twice in one crawl is stored once."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen: set[tuple[str, str]] = set()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, MentionBatch):
            return self.each(item)
        if not isinstance(item, MentionRecord):
            return item
        key = (item.source, item.external_id)
        if key in self.seen:
            raise drop(self.crawler, "duplicate")
        self.seen.add(key)
        return item


class StorePipeline:
    """Buffer items and upsert them in batches; each batch is committed on its own.

    On PostgreSQL a full batch is written by one writer thread while the crawl reads the next
    one (the server's work and the reading overlap; batches are still committed one after
    the other, in order). SQLite's work is this process's own: the batch is written at once.
    `flush` returns once everything given is committed.
    """

    def __init__(self, crawler: Crawler, url: str, batch_size: int) -> None:
        self.crawler = crawler
        self.url = url
        self.batch_size = batch_size
        self.buffer: list[MentionRecord] = []
        self.threads: list[ThreadState] = []
        self.store: Any = None
        self.acks: list[Any] = []  # pages of a crawl worker whose items wait for the commit
        self.flushed = time.monotonic()
        self.writer: ThreadPoolExecutor | None = None
        self.writing: tuple[Future[Any], list[MentionRecord]] | None = None  # the batch in hand

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings.get("VEILLE_SETTINGS")
        url = crawler.settings.get("VEILLE_DATABASE_URL") or settings.database.url
        return cls(
            crawler, url, batch_size_for(url, settings.database.batch_size if settings else 1000)
        )

    def open_spider(self) -> None:
        from storage.engine import make_engine
        from storage.upsert import MentionStore

        self.store = MentionStore(make_engine(self.url), batch_size=self.batch_size)
        if self.crawler.spider is not None:  # a crawl worker flushes it when idle
            self.crawler.spider.veille_store = self  # type: ignore[attr-defined]

    def process_item(self, item: Any) -> Any:
        if isinstance(item, MentionRecord | MentionBatch):
            if isinstance(item, MentionRecord):
                self.buffer.append(item)
            else:
                self.buffer.extend(item.records)
            if len(self.buffer) >= self.batch_size:
                self.write_mentions()
        elif isinstance(item, Ack):
            # A crawl worker's page is done (crawlers/redis_queue.py): it leaves the worker's
            # in-flight list once what it gave is committed, a few pages or seconds later
            # (a commit per page would cost more than reading the page).
            self.acks.append(item.request)
            if len(self.acks) >= ACK_PAGES or time.monotonic() - self.flushed > ACK_SECONDS:
                self.flush()
        elif isinstance(item, ThreadState):
            # Written after the mentions before it are committed: a killed crawl never
            # records a thread as read when its posts were not stored.
            self.threads.append(item)
            if len(self.threads) >= self.batch_size:
                self.flush()
        return item

    def flush(self) -> None:
        """Commit everything given so far: the mentions, then the threads' state and the
        worker's pages that wait for them."""
        if self.buffer:
            self.write_mentions()
        self.settle()
        if self.threads:
            from storage.crawl_state import save_threads

            threads, self.threads = self.threads, []
            save_threads(self.store.engine, threads)
        self.flushed = time.monotonic()
        if self.acks:
            acks, self.acks = self.acks, []
            queue = getattr(self.crawler.spider, "veille_queue", None)
            if queue is not None:
                queue.ack_many(acks)

    def write_mentions(self) -> None:
        """Hand the buffer over once the batch before it is committed (PostgreSQL: to the
        writer thread; SQLite: written now). A failed batch's error is raised at the next
        hand-over, after that batch is on its way: only the failed batch is lost, as when each
        batch was written in turn."""
        batch, self.buffer = self.buffer, []
        for record in batch:  # final now: hashed here (PostgreSQL: while the last is written)
            record.digest = record.content_hash()
        failure: Exception | None = None
        try:
            self.settle()
        except Exception as exc:  # raised below, once the next batch is on its way
            failure = exc
        if self.store.engine.dialect.name == "postgresql":
            if self.writer is None:
                self.writer = ThreadPoolExecutor(1, thread_name_prefix="veille-store")
            self.writing = (self.writer.submit(self.store.store_batch, batch), batch)
        else:  # the same hand-over, done by now
            done: Future[Any] = Future()
            try:
                done.set_result(self.store.store_batch(batch))
            except Exception as exc:
                done.set_exception(exc)
            self.writing = (done, batch)
        if failure is not None:
            raise failure

    def settle(self) -> None:
        """Wait for the batch being written; count it and announce it (`batch_stored`) from
        the crawl's own thread."""
        if self.writing is None:
            return
        (future, batch), self.writing = self.writing, None
        counts = future.result()
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("veille/new", counts.new)
            stats.inc_value("veille/updated", counts.updated)
            stats.inc_value("veille/unchanged", counts.unchanged)
            if counts.erased:  # refused: erased people's records (`veille privacy erase`)
                stats.inc_value("veille/dropped/erased", counts.erased)
        self.crawler.signals.send_catch_log(signal=batch_stored, counts=counts, records=batch)

    def close_spider(self) -> None:
        try:
            self.flush()
        finally:
            if self.writer is not None:
                self.writer.shutdown()
            if self.store is not None:
                self.store.engine.dispose()


class QuietDropsFormatter(LogFormatter):
    """Drops are routine (a post about no brand): DEBUG with the reason, never the whole item."""

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any = None
    ) -> LogFormatterResult:
        return {
            "level": logging.DEBUG,
            "msg": "Dropped (%(reason)s): %(id)s",
            "args": {"reason": exception, "id": getattr(item, "external_id", type(item).__name__)},
        }


# Sent after each committed batch (e.g. so a reader can record how far it got).
batch_stored = object()

ITEM_PIPELINES = {
    "crawlers.pipelines.NormalisePipeline": 100,
    "crawlers.pipelines.MatchBrandsPipeline": 200,
    "crawlers.pipelines.DedupePipeline": 300,
    "crawlers.pipelines.StorePipeline": 900,
}
