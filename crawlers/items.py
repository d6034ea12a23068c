"""Scrapy items besides MentionRecord: a batch of mentions, the fast path of big imports."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.records import MentionRecord


@dataclass(slots=True)
class MentionBatch:
    """Many mentions as one item: the pipelines treat each record as if it came alone.

    Scrapy's cost per item (~100 µs) would cap an import near 10,000 records/s; an export
    reader yields batches so a million-tweet file goes through the same pipelines fast.
    """

    records: list[MentionRecord] = field(default_factory=list)


@dataclass(slots=True)
class Ack:
    """The last item of a page a crawl worker took from the shared queue (crawlers/redis_queue):
    when the store pipeline sees it, what came before it is committed, so the page can leave
    the worker's in-flight list."""

    request: object
