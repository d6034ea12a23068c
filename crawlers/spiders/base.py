"""The base of every Veille spider: it knows its configured source and builds mentions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler

from config.settings import Settings, SourceSettings
from storage.clock import utcnow
from storage.records import MentionRecord


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

    def mention(self, **fields: Any) -> MentionRecord:
        fields.setdefault("lang", self.source.language)
        return MentionRecord(source=self.source.name, source_kind=self.source.kind.value, **fields)
