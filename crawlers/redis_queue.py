"""The Redis side of crawl workers: one run's keys, a reliable request queue, the duplicate filter.

scrapy-redis gives the shared scheduler (`scrapy_redis.scheduler.Scheduler`) and its duplicate
filter; two things are added. Keys are per source, not per spider (two phpBB forums use the same
spider). And a request taken from the queue is moved, atomically (`LMOVE`), to the taking
worker's in-flight list, and leaves it only once the page's items are committed and the requests
it found are queued (`Ack`, the last item of each page). A worker killed with its pages in hand
leaves them in its list, and the coordinator puts them back in the queue when the worker's
heartbeat stops: nothing is lost, and the store's upsert makes a page read twice harmless.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base

from crawlers.items import Ack

log = logging.getLogger("veille.crawl.workers")

RAW = "veille_raw"  # request.meta key: the bytes the request had in the queue


@dataclass(frozen=True, slots=True)
class RunKeys:
    """The Redis keys of one distributed crawl run of one installation (`workers.namespace`)."""

    namespace: str
    run: str

    @staticmethod
    def current(namespace: str) -> str:
        """The run in progress (JSON: id, jobs, clock), kept alive by its coordinator."""
        return f"{namespace}:crawl:current"

    @property
    def base(self) -> str:
        return f"{self.namespace}:crawl:{self.run}"

    def queue(self, source: str) -> str:
        return f"{self.base}:q:{source}"

    def seen(self, source: str) -> str:
        return f"{self.base}:seen:{source}"

    def inflight(self, source: str, worker: str) -> str:
        return f"{self.base}:inflight:{source}|{worker}"

    @property
    def inflights(self) -> str:
        """The set of every in-flight list of the run."""
        return f"{self.base}:inflights"

    @property
    def seeds(self) -> str:
        """source -> `claimed WORKER` or `done`: who put the source's first requests in."""
        return f"{self.base}:seeds"

    @property
    def engines(self) -> str:
        """source -> forum engine detected by the worker that read its first page."""
        return f"{self.base}:engines"

    @property
    def pages(self) -> str:
        """worker -> pages it downloaded in this run."""
        return f"{self.base}:pages"

    @property
    def joined(self) -> str:
        """worker -> running or finished."""
        return f"{self.base}:joined"

    @property
    def done(self) -> str:
        """Set by the coordinator: nothing is left, the workers' crawls may close."""
        return f"{self.base}:done"

    @property
    def results(self) -> str:
        """`worker|source` -> the crawl summary of that source on that worker (JSON)."""
        return f"{self.base}:results"


def inflight_owner(key: str) -> str:
    """The worker of an in-flight list's key."""
    return key.rsplit("|", 1)[-1]


# Everything queued or in a worker's hands, read in one atomic step: a page moving from the
# queue to a worker, or its follow-up requests into the queue, is never missed in between.
PENDING_SCRIPT = """
local n = 0
for _, key in ipairs(KEYS) do n = n + redis.call('LLEN', key) end
for _, key in ipairs(redis.call('SMEMBERS', ARGV[1])) do n = n + redis.call('LLEN', key) end
return n
"""


def pending(server: Any, keys: RunKeys, sources: Iterable[str]) -> int:
    """Requests of the run still queued or in a worker's hands."""
    return int(server.eval(PENDING_SCRIPT, len(queues := [keys.queue(s) for s in sources]),
                           *queues, keys.inflights))  # fmt: skip


def requeue(server: Any, keys: RunKeys, worker: str) -> int:
    """Put a (dead or stopped) worker's in-flight pages back in the queue; how many."""
    moved = 0
    for raw_key in server.smembers(keys.inflights):
        key = raw_key.decode() if isinstance(raw_key, bytes) else raw_key
        if inflight_owner(key) != worker:
            continue
        source = key.split(":inflight:", 1)[1].rsplit("|", 1)[0]
        while server.lmove(key, keys.queue(source), "RIGHT", "RIGHT") is not None:
            moved += 1
        server.srem(keys.inflights, key)
    return moved


class ReliableQueue(Base):
    """FIFO of one source's requests, shared by every worker; a popped request stays in the
    worker's in-flight list until `ack`."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        keys: RunKeys = settings.get("VEILLE_RUN_KEYS")
        self.key = keys.queue(spider.source_name)
        self.inflight = keys.inflight(spider.source_name, settings.get("VEILLE_WORKER"))
        server.sadd(keys.inflights, self.inflight)
        spider.veille_queue = self

    def __len__(self) -> int:
        return int(self.server.llen(self.key))

    def _encode_request(self, request: Any) -> bytes:
        obj = request.to_dict(spider=self.spider)
        if RAW in (obj.get("meta") or {}):  # a retried copy: not the bytes of its original
            obj["meta"] = {k: v for k, v in obj["meta"].items() if k != RAW}
        data: bytes = self.serializer.dumps(obj)
        return data

    def push(self, request: Any) -> None:
        self.server.lpush(self.key, self._encode_request(request))

    def pop(self, timeout: int = 0) -> Any:
        data = self.server.lmove(self.key, self.inflight, "RIGHT", "LEFT")
        if data is None:
            return None
        request = self._decode_request(data)
        request.meta[RAW] = data
        return request

    def ack(self, request: Any) -> None:
        data = request.meta.get(RAW)
        if data is not None:
            self.server.lrem(self.inflight, 1, data)

    def ack_many(self, requests: list[Any]) -> None:
        """`ack` for many pages, in one round trip."""
        pipe = self.server.pipeline(transaction=False)
        for request in requests:
            data = request.meta.get(RAW)
            if data is not None:
                pipe.lrem(self.inflight, 1, data)
        pipe.execute()

    def forget_inflight(self) -> None:
        """The worker is idle: whatever its list holds was answered (a failed download, a
        redirect or retry queued as a new request), so it is done with."""
        self.server.delete(self.inflight)

    def clear(self) -> None:  # the coordinator deletes the run's keys, not a worker
        pass


class SourceDupeFilter(RFPDupeFilter):
    """scrapy-redis' duplicate filter, keyed by source and run (not by spider name)."""

    @classmethod
    def from_spider(cls, spider: Any) -> SourceDupeFilter:
        from scrapy_redis.connection import get_redis_from_settings

        settings = spider.crawler.settings
        keys: RunKeys = settings.get("VEILLE_RUN_KEYS")
        return cls(get_redis_from_settings(settings), key=keys.seen(spider.source_name))

    def close(self, reason: str = "") -> None:  # shared with the other workers: kept
        pass


class AckMiddleware:
    """Spider middleware: after a page's output, an `Ack` item; crawlers.pipelines.StorePipeline
    acknowledges the page once what came before it is committed (with the next batch, or when
    the worker is idle). Items are processed one at a time in distributed crawls
    (CONCURRENT_ITEMS 1), so the Ack is handled after all of them."""

    def process_spider_output(
        self, response: Any, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        yield from result
        if RAW in response.request.meta:
            yield Ack(response.request)

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        async for item in result:
            yield item
        if RAW in response.request.meta:
            yield Ack(response.request)


def redis_scrapy_settings(
    redis_url: str, keys: RunKeys, worker: str, per_domain: int
) -> dict[str, Any]:
    """Scrapy settings a crawl worker adds to crawlers.settings.scrapy_settings."""
    return {
        # A crawler reads one source (one site): it takes from the shared queue no more pages
        # than it can download at once, and leaves the rest to the other workers.
        "CONCURRENT_REQUESTS": per_domain,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "crawlers.redis_queue.ReliableQueue",
        "DUPEFILTER_CLASS": "crawlers.redis_queue.SourceDupeFilter",
        "SCHEDULER_PERSIST": True,  # the coordinator deletes the run's keys when it ends
        "REDIS_URL": redis_url,
        "CONCURRENT_ITEMS": 1,  # a page's Ack after its items (see AckMiddleware)
        "SPIDER_MIDDLEWARES": {"crawlers.redis_queue.AckMiddleware": 10},
        "EXTENSIONS": {"crawlers.crawl_workers.RunExtension": 500},
        "VEILLE_RUN_KEYS": keys,
        "VEILLE_WORKER": worker,
    }
