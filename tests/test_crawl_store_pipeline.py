"""The store pipeline's hand-over of batches (`crawlers.pipelines.StorePipeline`; on
PostgreSQL a writer thread writes a full batch while the crawl reads the next, on SQLite the
batch is written at once): batches are committed and announced in order, a failed batch is
raised to the crawl at the next one and is the only one lost, and `flush` returns with
everything committed."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, select

from crawlers.pipelines import StorePipeline, batch_stored
from storage.models import Mention
from storage.records import AuthorRecord, MentionRecord


def _record(key: str, text: Any = "Acme again") -> MentionRecord:
    return MentionRecord(source="forum", source_kind="forum", external_id=key, text=text,
                         author=AuthorRecord(handle="ann"))  # fmt: skip


def _stored(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Mention.external_id)).scalars())


def test_batches_are_written_in_order_and_a_failed_one_is_raised(
    engine: Engine, db_url: str
) -> None:
    crawler = get_crawler()
    announced: list[list[str]] = []
    crawler.signals.connect(
        lambda records, **_: announced.append([r.external_id for r in records]),
        signal=batch_stored, weak=False,
    )  # fmt: skip
    store = StorePipeline(crawler, db_url, batch_size=2)
    store.open_spider()
    for key in ("a", "b"):
        store.process_item(_record(key))
    store.process_item(_record("c"))
    store.process_item(_record("d", text=None))  # NOT NULL: this batch fails in the database
    assert store.writing is not None  # handed over: the crawl goes on meanwhile
    assert (store.writer is not None) == (engine.dialect.name == "postgresql")  # the thread
    store.process_item(_record("e"))
    with pytest.raises(Exception, match=r"(?i)not null|null value"):
        store.process_item(_record("f"))  # the next batch raises the failed one's error
    store.process_item(_record("g"))
    store.flush()  # returns once everything given is committed
    assert store.writing is None
    assert _stored(engine) == ["a", "b", "e", "f", "g"]  # c and d: the failed batch
    assert announced == [["a", "b"], ["e", "f"], ["g"]]
    assert crawler.stats is not None and crawler.stats.get_value("veille/new") == 5
    store.close_spider()
