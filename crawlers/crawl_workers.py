"""Crawl workers (`veille worker crawl`): processes on any machine sharing a crawl run's requests.

A worker waits for a run in Redis (`RunKeys.current`, set by `veille crawl --distributed`); for
each run it starts a child process (Scrapy's reactor cannot restart) that crawls every source of
the run with the scrapy-redis scheduler: requests and the duplicate filter are shared, so each
page is read by one worker, whichever is free. The first worker to open a source puts its first
requests in (`seed`); the others take what it finds. Each forum page is stored in the shared
PostgreSQL before it leaves the worker's hands (crawlers/redis_queue.py), and a thread's state is
written by the worker that reads its last page. The child ends when the coordinator says the run
is over; the worker then waits for the next one, beating in the `workers` table all along.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from config.child_processes import child_env, write_spec
from crawlers.redis_queue import RunKeys, requeue

if TYPE_CHECKING:
    from config.settings import Settings

log = logging.getLogger("veille.crawl.workers")

CHILD_FAILURES = 3  # a run whose child process fails this often is left to the other workers


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)


def current_run(server: Any, namespace: str) -> dict[str, Any] | None:
    raw = server.get(RunKeys.current(namespace))
    return json.loads(raw) if raw else None


def run_over(server: Any, keys: RunKeys) -> bool:
    """The coordinator said the run is over, or is gone (its key expired, another run began)."""
    if server.exists(keys.done):
        return True
    run = current_run(server, keys.namespace)
    return run is None or run["id"] != keys.run


# -- the spiders, as a worker runs them -------------------------------------------------------


class DistributedSpider:
    """Mixed into a source's spider in a worker: state loaded by every worker, first requests
    put in by one."""

    crawler: Any
    source_name: str

    @property
    def run_keys(self) -> RunKeys:
        keys: RunKeys = self.crawler.settings.get("VEILLE_RUN_KEYS")
        return keys

    @property
    def redis(self) -> Any:
        if getattr(self, "_redis", None) is None:
            self._redis = redis_client(self.crawler.settings.get("REDIS_URL"))
        return self._redis

    async def start(self) -> AsyncIterator[Any]:
        loader = getattr(self, "load_states", None)
        if loader is not None:  # what the last runs left: every worker decides alike
            loader()
        async for request in self.seed():
            yield request

    async def seed(self) -> AsyncIterator[Any]:
        """The source's first requests, if this worker is the one to claim them."""
        worker = self.crawler.settings.get("VEILLE_WORKER")
        if not self.redis.hsetnx(self.run_keys.seeds, self.source_name, f"claimed {worker}"):
            return
        async for request in super().start():  # type: ignore[misc]
            yield request
        self.redis.hset(self.run_keys.seeds, self.source_name, "done")


class DistributedForum(DistributedSpider):
    """A forum's engine is known to every worker (the one that detected it says it in Redis),
    and a resumed thread's page is read once per run like any other (the shared filter)."""

    engine: Any
    source: Any
    engine_name: str | None

    def choose_engine(self, response: Any) -> str | None:
        name: str | None = super().choose_engine(response)  # type: ignore[misc]
        if name:
            self.redis.hset(self.run_keys.engines, self.source_name, name)
        return name

    def ensure_engine(self) -> None:
        if self.engine is not None:
            return
        from crawlers.engines import AUTO, html_engine

        found = self.redis.hget(self.run_keys.engines, self.source_name)
        name = found.decode() if found else (self.engine_name or self.source.engine)
        if name and name != AUTO:
            self.engine = html_engine(name, self.source.options)

    def parse_listing(self, response: Any, first: bool = False) -> Any:
        self.ensure_engine()
        return super().parse_listing(response, first=first)  # type: ignore[misc]

    def parse_thread(self, response: Any, row: Any, last: Any = None, page: int = 1,
                     reading: Any = None) -> Any:  # fmt: skip
        self.ensure_engine()
        return super().parse_thread(response, row, last=last, page=page, reading=reading)  # type: ignore[misc]

    def thread_request(self, row: Any) -> Any:
        request = super().thread_request(row)  # type: ignore[misc]
        return None if request is None else request.replace(dont_filter=False)


def distributed(cls: type) -> type:
    """The worker's version of a spider class (same name, same callbacks)."""
    from crawlers.forum import ForumSpider

    mixins: tuple[type, ...] = (
        (DistributedForum,) if issubclass(cls, ForumSpider) else (DistributedSpider,)
    )
    return type(f"Distributed{cls.__name__}", (*mixins, cls), {})


class RunExtension:
    """Per crawler in a worker: counts pages, keeps the spider open while the run goes on, and
    puts the source's first requests in if the worker that claimed them died."""

    def __init__(self, crawler: Any) -> None:
        from scrapy import signals

        self.crawler = crawler
        self.keys: RunKeys = crawler.settings.get("VEILLE_RUN_KEYS")
        self.worker: str = crawler.settings.get("VEILLE_WORKER")
        self.server = redis_client(crawler.settings.get("REDIS_URL"))
        self.seeding = False
        self.reseeding: asyncio.Future[None] | None = None
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.response, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunExtension:
        return cls(crawler)

    def response(self, response: Any, request: Any, spider: Any) -> None:
        self.server.hincrby(self.keys.pages, self.worker, 1)

    def idle(self, spider: Any) -> None:
        from scrapy.exceptions import DontCloseSpider

        store = getattr(spider, "veille_store", None)
        if store is not None:  # what the last pages gave is committed, and they acknowledged
            store.flush()
        queue = getattr(spider, "veille_queue", None)
        if queue is not None:
            queue.forget_inflight()
        if run_over(self.server, self.keys):
            return  # the spider closes
        if not self.seeding and self.server.hget(self.keys.seeds, spider.source_name) is None:
            self.seeding = True
            self.reseeding = asyncio.ensure_future(self.reseed(spider))
        raise DontCloseSpider

    async def reseed(self, spider: Any) -> None:
        from scrapy import Request

        try:
            async for request in spider.seed():
                if isinstance(request, Request):
                    self.crawler.engine.crawl(request)
        finally:
            self.seeding = False


def child_main(spec_path: str) -> int:
    """The crawl of one run in a worker's child process."""
    from scrapy.core.engine import ExecutionEngine
    from scrapy.crawler import CrawlerProcess

    from config.settings import Settings
    from crawlers.process import _short_tracebacks, summarise
    from crawlers.redis_queue import redis_scrapy_settings
    from crawlers.settings import scrapy_settings
    from crawlers.spiders import spider_class
    from storage.clock import set_now

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    _die_with(int(spec["parent"]))
    from datetime import datetime

    if spec.get("clock"):
        set_now(datetime.fromisoformat(spec["clock"]))
    settings = Settings.model_validate(spec["settings"])
    log_level = spec.get("log_level", "WARNING")
    if log_level != "DEBUG":
        _short_tracebacks(log_level)
    # Scrapy asks an empty scheduler again every 5 s; other workers fill the shared queue at
    # any time, so a free worker asks every 0.2 s (one LLEN per source).
    ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 0.2  # type: ignore[attr-defined]
    keys = RunKeys(settings.workers.namespace, spec["run"])
    worker = spec["worker"]
    server = redis_client(settings.crawl.redis_url)
    process = CrawlerProcess({
        **scrapy_settings(settings, log_level),
        **redis_scrapy_settings(
            settings.crawl.redis_url, keys, worker, settings.crawl.concurrency_per_domain
        ),
    })  # fmt: skip
    server.hset(keys.joined, worker, "running")
    crawlers = []
    for job in spec["jobs"]:
        try:
            settings.source(job["source"])
        except KeyError:
            log.error("crawl worker %s: source %s is not in this machine's configuration; "
                      "other workers crawl it", worker, job["source"])  # fmt: skip
            continue
        crawler = process.create_crawler(distributed(spider_class(job["spider"])))
        process.crawl(crawler, source=job["source"], **job.get("kwargs", {}))
        crawlers.append((job, crawler))
    process.start()
    pages = 0
    for job, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        pages += int(stats.get("downloader/response_count", 0))
        summary = {"source": job["source"], "spider": job["spider"], **summarise(stats)}
        server.hset(keys.results, f"{worker}|{job['source']}", json.dumps(summary, default=str))
    _count_pages(settings, worker, pages)
    server.hset(keys.joined, worker, "finished")
    return 0


def _count_pages(settings: Settings, worker: str, pages: int) -> None:
    """Add the run's pages to the worker's count in the `workers` table (`veille status`)."""
    from storage.engine import make_engine
    from storage.workers import add_done

    engine = make_engine(settings.database.url)
    try:
        add_done(engine, worker, pages)
    finally:
        engine.dispose()


def _die_with(parent: int) -> None:
    """End with the worker that started this process, even when it is killed (SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError):  # PR_SET_PDEATHSIG
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


# -- the worker ------------------------------------------------------------------------------


def serve(
    settings: Settings, log_level: str = "WARNING", stop: threading.Event | None = None
) -> int:
    """Crawl every run the coordinators start, until `stop` (SIGTERM, Ctrl-C)."""
    from storage.engine import make_engine
    from storage.workers import Heartbeat, require_shared_database, worker_name

    require_shared_database(settings.database.url, "veille worker crawl")
    server = connect(settings)
    engine = make_engine(settings.database.url)
    name = worker_name("crawl")
    stop = stop or threading.Event()
    doing: list[str | None] = [None]
    beat = Heartbeat(
        engine, name, "crawl", settings.workers.heartbeat_seconds,
        lambda: ("busy", doing[0]) if doing[0] else ("idle", None),
    ).start()  # fmt: skip
    finished: set[str] = set()
    failures: Counter[str] = Counter()
    namespace = settings.workers.namespace
    try:
        while not stop.is_set():
            try:
                run = current_run(server, namespace)
            except RedisError as exc:  # Redis restarting: wait for it, as for a run
                log.warning("crawl worker %s: Redis does not answer (%s); trying again",
                            name, exc)  # fmt: skip
                stop.wait(2)
                continue
            if run is None or run["id"] in finished:
                stop.wait(0.3)
                continue
            keys = RunKeys(namespace, run["id"])
            doing[0] = f"crawl run {run['id']}"
            beat.now()
            code = _run_child(settings, run, name, log_level, stop)
            try:
                back = requeue(server, keys, name)  # pages in hand when the child ended
            except RedisError:
                back = 0  # the coordinator puts them back once this worker looks dead
            if back:
                log.warning("crawl worker %s: %d page(s) put back in the queue", name, back)
            if code == 0 or _over(server, keys):
                finished.add(run["id"])
            else:
                failures[run["id"]] += 1
                log.error("crawl worker %s: the crawl process of run %s ended with code %s",
                          name, run["id"], code)  # fmt: skip
                if failures[run["id"]] >= CHILD_FAILURES:
                    finished.add(run["id"])
                stop.wait(1)
            doing[0] = None
            beat.now()
    finally:
        beat.stop()
        engine.dispose()
    return 0


def _over(server: Any, keys: RunKeys) -> bool:
    try:
        return run_over(server, keys)
    except RedisError:
        return False


def connect(settings: Settings) -> Any:
    """The Redis of the crawl workers, or an error saying what to do."""
    from crawlers.process import CrawlFailed
    from storage.workers import hide_password

    server = redis_client(settings.crawl.redis_url)
    try:
        server.ping()
    except Exception as exc:
        raise CrawlFailed(
            f"Redis at {hide_password(settings.crawl.redis_url)} does not answer "
            f"({type(exc).__name__}: {exc}); start it, or set crawl.redis_url"
        ) from None
    return server


def _run_child(settings: Settings, run: dict[str, Any], worker: str, log_level: str,
               stop: threading.Event) -> int:  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="veille-crawl-worker-") as tmp:
        spec_path = write_spec(
            Path(tmp) / "spec.json", settings, run=run["id"], jobs=run["jobs"],
            clock=run.get("clock"), worker=worker, parent=os.getpid(), log_level=log_level,
        )  # fmt: skip
        proc = subprocess.Popen([sys.executable, "-m", "crawlers.crawl_workers", "child",
                                 str(spec_path)], env=child_env())  # fmt: skip
        while True:
            try:
                return proc.wait(0.3)
            except subprocess.TimeoutExpired:
                pass
            if stop.is_set():  # Scrapy's shutdown: the pages in hand go back to the queue
                proc.terminate()
                try:
                    return proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    return proc.wait()


def main(argv: list[str]) -> int:
    """`python -m crawlers.crawl_workers child SPEC` (a run's crawl) or `serve SPEC` (a worker
    a coordinator starts on its own machine: settings and log level in SPEC)."""
    if argv[0] == "child":
        return child_main(argv[1])
    from config.settings import Settings

    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return serve(Settings.model_validate(spec["settings"]), spec.get("log_level", "WARNING"), stop)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
