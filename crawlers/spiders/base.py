"""The base of every Veille spider: it knows its configured source and builds mentions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler

from config.settings import Settings, SourceSettings
from storage.clock import utcnow
from storage.records import BrandMatch, MentionRecord

if TYPE_CHECKING:
    from storage.crawl_state import ThreadState


class SourceSpider(Spider):
    """Abstract: subclasses set `name` and `source_kind`; one instance crawls one source."""

    source_kind: ClassVar[str] = ""
    veille: Settings
    source: SourceSettings

    def __init__(self, source: str, *args: Any, now: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source_name = source
        # The run's clock ("now" of relative dates, look-back windows); tests fix it.
        self.now = datetime.fromisoformat(now) if now else utcnow()
        if self.now.tzinfo is None:
            self.now = self.now.replace(tzinfo=UTC)

    async def start(self) -> AsyncIterator[Any]:
        """One request to the source's URL, parsed by `parse` (sources with one start page)."""
        yield Request(str(self.source.url), callback=self.parse)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.veille = crawler.settings.get("VEILLE_SETTINGS")
        spider.source = spider.veille.source(spider.source_name)
        return spider

    def count(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"veille/{key}", n)

    def thread_states(self) -> dict[str, ThreadState]:
        """What earlier runs recorded of this source's threads (or streams), by thread id,
        from the crawl's database."""
        from storage.crawl_state import load_threads
        from storage.engine import make_engine

        engine = make_engine(self.settings.get("VEILLE_DATABASE_URL") or self.veille.database.url)
        try:
            return load_threads(engine, self.source.name)
        finally:
            engine.dispose()

    def report_error(self, message: str, *, broken: bool = False, counted: bool = False) -> None:
        """An error a person should read, by name: logged, counted, listed in the summary.

        `broken`: the source cannot be collected as configured until someone acts (a missing
        or refused credential, a page whose markup changed): the crawl reports the source as
        failed and `veille status` shows it at once, whatever happened before. `counted`: Scrapy
        counted the error already (a request that failed after its retries).
        """
        self.logger.error(message)
        if not counted:
            self.count("errors")
        if self.crawler.stats is not None:
            key = "veille/source_broken" if broken else "veille/messages"
            listed = list(self.crawler.stats.get_value(key, []))
            if message not in listed:
                self.crawler.stats.set_value(key, [*listed, message])

    def mention(self, **fields: Any) -> MentionRecord:
        fields.setdefault("lang", self.source.language)
        brand = self.source.options.get("brand")
        if brand and "brands" not in fields:
            # The source is about this brand: every mention of it is, named or not.
            fields["brands"] = [BrandMatch(brand=brand)]
        return MentionRecord(source=self.source.name, source_kind=self.source.kind.value, **fields)
