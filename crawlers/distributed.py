"""`veille crawl --distributed`: a crawl run shared by the crawl workers, and the wait for its end.

The coordinator writes the run (its id, one job per source, the clock) to Redis, where every
`veille worker crawl` finds it (crawlers/crawl_workers.py), and watches: the run ends when every
source's first requests are in and nothing is queued or in a worker's hands (one atomic count,
crawlers/redis_queue.pending). A worker whose heartbeat stops has its pages put back in the
queue for the others. Then it tells the workers, gathers their summaries per source, and deletes
the run's keys. Workers started for the run (`workers.local`) run on this machine.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from crawlers.process import CrawlFailed, CrawlJob
from crawlers.redis_queue import RunKeys, inflight_owner, pending, requeue

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlalchemy import Engine

    from config.child_processes import LocalWorker
    from config.settings import Settings

log = logging.getLogger("veille.crawl.workers")

Progress = Callable[[int, int], None]  # (pages read, requests pending)
POLL = 0.25


def run_distributed(
    settings: Settings,
    engine: Engine,
    jobs: list[CrawlJob],
    log_level: str = "WARNING",
    local: int | None = None,
    progress: Progress | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Crawl the jobs through the workers; one summary per job (as `run_crawl` gives them),
    and the run's `workers` (pages per worker) and `requeued` (pages taken back from a dead
    worker)."""
    from crawlers.crawl_workers import connect
    from storage.clock import fixed_now

    server = connect(settings)
    namespace = settings.workers.namespace
    run = uuid.uuid4().hex[:12]
    keys = RunKeys(namespace, run)
    ttl_ms = int(settings.workers.dead_after_seconds * 1000)
    clock = fixed_now()
    spec = {"id": run, "jobs": [job.__dict__ for job in jobs],
            "clock": clock.isoformat() if clock else None}  # fmt: skip
    if not server.set(RunKeys.current(namespace), json.dumps(spec), nx=True, px=ttl_ms):
        other = json.loads(server.get(RunKeys.current(namespace)) or "{}").get("id")
        raise CrawlFailed(
            f"Another distributed crawl (run {other}) is in progress in namespace {namespace}: "
            "wait for it to end (its key expires workers.dead_after_seconds after its "
            "coordinator stops), or give this installation its own workers.namespace"
        )
    from redis.exceptions import RedisError

    try:
        n_local = settings.workers.local if local is None else local
        with local_crawl_workers(settings, n_local, log_level) as started:
            requeued = _wait(server, engine, settings, keys, [j.source for j in jobs], started,
                             progress, ttl_ms)  # fmt: skip
            server.set(keys.done, 1)
            _wait_workers_finished(server, engine, settings, keys)
        results = _gather(server, keys, jobs)
        workers = {k.decode(): int(v) for k, v in server.hgetall(keys.pages).items()}
    except RedisError as exc:
        raise CrawlFailed(
            f"Redis stopped answering during the crawl ({type(exc).__name__}: {exc}); what the "
            "workers stored is kept, and the next crawl reads what is new"
        ) from None
    finally:
        with contextlib.suppress(RedisError):
            if server.get(RunKeys.current(namespace)) == json.dumps(spec).encode():
                server.delete(RunKeys.current(namespace))
            for key in list(server.scan_iter(f"{keys.base}:*", count=500)):
                server.delete(key)
    return results, {"workers": workers, "requeued": requeued}


def _wait(
    server: Any, engine: Engine, settings: Settings, keys: RunKeys, sources: list[str],
    started: list[LocalWorker], progress: Progress | None, ttl_ms: int,
) -> int:  # fmt: skip
    from config.child_processes import Alone
    from storage.workers import live_workers

    dead_after = settings.workers.dead_after_seconds
    requeued = 0
    quiet = 0
    alone = Alone(started, dead_after, "crawl worker", "veille worker crawl")
    while True:
        server.pexpire(RunKeys.current(keys.namespace), ttl_ms)
        live = {w.name for w in live_workers(engine, "crawl", dead_after)}
        for raw in server.smembers(keys.inflights):  # pages in the hands of the dead
            owner = inflight_owner(raw.decode())
            if owner not in live:
                back = requeue(server, keys, owner)
                if back:
                    log.warning("crawl worker %s is silent: %d page(s) back in the queue",
                                owner, back)  # fmt: skip
                requeued += back
        seeds = {k.decode(): v.decode() for k, v in server.hgetall(keys.seeds).items()}
        for source, claim in seeds.items():  # first requests promised by a worker now dead
            if claim.startswith("claimed ") and claim.removeprefix("claimed ") not in live:
                server.hdel(keys.seeds, source)
        left = pending(server, keys, sources)
        if progress is not None:
            pages = sum(int(v) for v in server.hvals(keys.pages))
            progress(pages, left)
        if left == 0 and all(seeds.get(s) == "done" for s in sources):
            quiet += 1
            if quiet >= 2:
                return requeued
        else:
            quiet = 0
        why = alone.why(bool(live))
        if why:
            raise CrawlFailed(why)
        time.sleep(POLL)


def _wait_workers_finished(server: Any, engine: Engine, settings: Settings, keys: RunKeys) -> None:
    """Until every worker of the run has written its summaries (or died), at most a while."""
    from storage.workers import live_workers

    deadline = time.monotonic() + max(30.0, settings.workers.dead_after_seconds)
    while time.monotonic() < deadline:
        joined = {k.decode(): v.decode() for k, v in server.hgetall(keys.joined).items()}
        live = {w.name for w in live_workers(engine, "crawl", settings.workers.dead_after_seconds)}
        if all(state == "finished" or name not in live for name, state in joined.items()):
            return
        time.sleep(POLL)
    log.warning("some crawl workers did not report in time; their counts are missing")


def _gather(server: Any, keys: RunKeys, jobs: list[CrawlJob]) -> list[dict[str, Any]]:
    from crawlers.process import summarise

    by_source: dict[str, list[dict[str, Any]]] = {job.source: [] for job in jobs}
    for raw in server.hvals(keys.results):
        summary = json.loads(raw)
        by_source.setdefault(summary["source"], []).append(summary)
    return [
        {"source": job.source, "spider": job.spider,
         **merge_workers(by_source[job.source] or [summarise({})])}
        for job in jobs
    ]  # fmt: skip


def merge_workers(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One source's summaries from several workers as one: counts added, lists joined."""
    out: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if key in ("source", "spider"):
                continue
            if isinstance(value, bool) or value is None or isinstance(value, str):
                out.setdefault(key, value)
                if out[key] is None:
                    out[key] = value
            elif isinstance(value, int | float):
                out[key] = (max if key == "elapsed_seconds" else sum)([out.get(key) or 0, value])
            elif isinstance(value, dict):
                merged = out.setdefault(key, {})
                for k, v in value.items():
                    merged[k] = merged.get(k, 0) + v if isinstance(v, int | float) else v
            elif isinstance(value, list):
                listed = out.setdefault(key, [])
                listed.extend(v for v in value if v not in listed)
    return out


def local_crawl_workers(
    settings: Settings, n: int, log_level: str
) -> AbstractContextManager[list[LocalWorker]]:
    """`n` crawl workers with these settings on this machine, stopped on leaving."""
    from config.child_processes import local_workers

    command = ["crawlers.crawl_workers", "serve"]
    return local_workers(settings, n, log_level, command, "crawl-worker")
