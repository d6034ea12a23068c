"""The export spider: reads one export file and hands its mentions to the item pipelines."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Self

from scrapy.crawler import Crawler

from crawlers.items import MentionBatch
from crawlers.pipelines import batch_stored
from crawlers.readers import BadRecord, RawRecord, ReaderError, reader
from crawlers.readers.detect import check_content, detect_format
from crawlers.spiders.base import SourceSpider
from storage.records import MentionRecord

_SHOWN_ERRORS = 20


class ExportSpider(SourceSpider):
    """Abstract: reads one export file of a `twitter_export` or `facebook_export` source.

    `scrapy crawl twitter_export -a source=NAME -a path=FILE [-a format=auto] [-a skip=N]`
    (the spider is named after its source kind, like `rss` or `reviews`).

    `skip` records of the file are passed over (they were committed by an earlier, killed
    run); with an `import_id`, the resume point is recorded after every committed batch and
    the file is marked done (or failed) at the end.
    """

    custom_settings = {"ROBOTSTXT_OBEY": False, "LOGSTATS_INTERVAL": 0}

    def __init__(
        self,
        source: str,
        path: str,
        format: str = "auto",
        skip: int | str = 0,
        import_id: int | str | None = None,
        run_id: int | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(source, **kwargs)
        self.path = Path(path)
        self.format = format
        self.skip = int(skip)
        self.import_id = int(import_id) if import_id is not None and import_id != "" else None
        self.run_id = int(run_id) if run_id is not None and run_id != "" else None
        self.failure: str | None = None
        self.rejected = 0
        self.first_rejection: str | None = None
        self.committed = self.skip
        # Records handed to the pipelines and not yet known stored (a batch or two of them).
        self._in_flight: deque[tuple[MentionRecord, int]] = deque(maxlen=50_000)
        self._engine: Any = None
        self.batch_size = 500

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.source.kind.value != cls.source_kind:
            raise ValueError(
                f"source {spider.source.name!r} is a {spider.source.kind.value} source; "
                f"the {cls.name} spider reads {cls.source_kind} exports only"
            )
        crawler.signals.connect(spider._on_batch_stored, signal=batch_stored)
        return spider

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from storage.engine import make_engine

            url = self.crawler.settings.get("VEILLE_DATABASE_URL") or self.veille.database.url
            self._engine = make_engine(url)
        return self._engine

    async def start(self) -> AsyncIterator[Any]:
        batch: list[MentionRecord] = []
        for item in self._mentions():
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield MentionBatch(batch)
                batch = []
        if batch:  # what was read before a broken end of file is imported too
            yield MentionBatch(batch)

    def _mentions(self) -> Iterator[MentionRecord]:
        """The file's mentions in order; bad records are kept aside, a broken file stops here."""
        read = 0
        try:
            if self.format == "auto":
                fmt = detect_format(self.path)
            else:  # a forced format still needs a text file with something in it
                fmt = self.format
                check_content(self.path)
            module = reader(fmt)
            kind = self.source.kind.value
            name = self.source.name
            lang = self.source.language
            skip = self.skip
            track = self._in_flight.append if self.import_id is not None else None
            for record in module.iter_records(self.path):
                if record.index < skip:
                    continue
                if record.error is not None:
                    self._reject(record, record.error)
                    continue
                try:
                    item = module.map_record(record, name)
                except BadRecord as exc:
                    self._reject(record, str(exc))
                    continue
                except (TypeError, ValueError, AttributeError, KeyError) as exc:
                    self._reject(record, f"cannot be mapped ({type(exc).__name__}: {exc})")
                    continue
                item.source_kind = kind
                if item.lang is None and lang:
                    item.lang = lang
                if track is not None:
                    track((item, record.index))
                read += 1
                yield item
        except ReaderError as exc:
            self._fail(str(exc), exc.location)
            return
        except OSError as exc:
            self._fail(f"{self.path}: cannot be read ({exc.strerror or exc})")
            return
        except RecursionError:  # a parser that recurses, on data nested thousands deep
            self._fail(f"{self.path}: data nested too deeply to be an export; check the file")
            return
        if read == 0 and self.skip == 0:
            self._fail(self._nothing_read(module))

    def _nothing_read(self, module: Any) -> str:
        """Why a file gave no mention: all its records were bad, or it held none."""
        what = f"a {module.title} export"
        if self.rejected:
            return (
                f"{self.path}: no valid record: {self.rejected:,} read, all kept aside (the "
                f"first: {self.first_rejection}); is this really {what}? Check the file, or "
                "pass the right --format"
            )
        return f"{self.path}: no record in this file; is this really {what}?"

    def _count_error(self) -> None:
        """One error of this crawler (see crawlers.process.count_errors)."""
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("veille/errors")

    def _fail(self, message: str, location: str | None = None) -> None:
        """The file cannot be read further: what came before it is kept, the file is failed
        and kept aside with the reason (so `veille import --errors` lists it)."""
        from storage.runs import keep_aside

        self.failure = message
        self._count_error()
        self.logger.error("%s", message)
        keep_aside(
            self.engine, stage="import", origin=str(self.path), reason=message,
            location=location or "file", run_id=self.run_id,
        )  # fmt: skip

    def _reject(self, record: RawRecord, reason: str) -> None:
        from storage.runs import keep_aside

        self.rejected += 1
        if self.first_rejection is None:
            self.first_rejection = f"{record.location}: {reason}"
        self._count_error()
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("veille/rejected")
        if self.rejected <= _SHOWN_ERRORS:
            self.logger.error("%s, %s: %s (kept aside)", record.file, record.location, reason)
        elif self.rejected == _SHOWN_ERRORS + 1:
            self.logger.warning("More bad records; `veille import --errors` lists them all.")
        keep_aside(
            self.engine,
            stage="import",
            origin=record.file,
            reason=reason,
            record=_dump(record.raw),
            location=record.location,
            run_id=self.run_id,
        )

    def _on_batch_stored(self, records: list[MentionRecord] | None = None, **_: Any) -> None:
        """After a committed batch: every record up to the batch's last one is safely stored."""
        if not records or self.import_id is None:
            return
        last = records[-1]
        while self._in_flight:
            item, index = self._in_flight.popleft()
            if item is last:
                self.committed = index + 1
                from storage.imports import record_progress

                record_progress(self.engine, self.import_id, self.committed)
                return

    def closed(self, reason: str) -> None:
        if self.import_id is not None:
            from crawlers.process import summarise
            from storage.imports import finish_import

            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            counts = {k: v for k, v in summarise(stats).items() if k not in ("http_errors",)}
            counts["rejected"] = self.rejected
            if self.failure is not None:
                finish_import(self.engine, self.import_id, "failed", counts, self.failure)
            elif reason == "finished":
                finish_import(self.engine, self.import_id, "done", counts)
        if self._engine is not None:
            self._engine.dispose()


def _dump(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    return json.dumps(raw, ensure_ascii=False, default=str)


class TwitterExportSpider(ExportSpider):
    name = "twitter_export"
    source_kind = "twitter_export"


class FacebookExportSpider(ExportSpider):
    name = "facebook_export"
    source_kind = "facebook_export"
