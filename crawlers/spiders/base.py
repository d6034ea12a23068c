"""The base of every Veille spider: it knows its configured source and builds mentions."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from scrapy import Spider
from scrapy.crawler import Crawler

from config.settings import Settings, SourceSettings
from storage.records import MentionRecord


class SourceSpider(Spider):
    """Abstract: subclasses set `name` and `source_kind`; one instance crawls one source."""

    source_kind: ClassVar[str] = ""
    veille: Settings
    source: SourceSettings

    def __init__(self, source: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source_name = source

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.veille = crawler.settings.get("VEILLE_SETTINGS")
        spider.source = spider.veille.source(spider.source_name)
        return spider

    def mention(self, **fields: Any) -> MentionRecord:
        fields.setdefault("lang", self.source.language)
        return MentionRecord(source=self.source.name, source_kind=self.source.kind.value, **fields)
