"""Crawl the web sources and record one run per source (`veille crawl` and the crawl stage).

Which spider crawls a source is decided here (`spider_for`); the crawl itself runs in a child
process (crawlers/process.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from config.settings import SourceKind
from crawlers.process import CrawlJob

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine

    from config.settings import Settings, SourceSettings


WEB_KINDS = tuple(kind.value for kind in SourceKind if not kind.is_export)


def spider_for(source: SourceSettings) -> str:
    """The spider crawling a source: named after its kind, and a forum's after its engine.

    (`forum` for `engine: auto`; an engine with no spider of its own is crawled by `forum`,
    see crawlers.spiders.spider_class.)
    """
    if source.kind == SourceKind.FORUM and source.engine != "auto":
        return source.engine
    return source.kind.value


def web_jobs(
    settings: Settings, names: list[str] | None = None, now: str | None = None
) -> list[CrawlJob]:
    """One job per enabled web source (or per named source, enabled or not)."""
    if names:
        sources = [settings.source(name) for name in names]
        for source in sources:
            if source.kind.value not in WEB_KINDS:
                raise KeyError(
                    f"source {source.name!r} is a {source.kind.value} inbox, not a web source; "
                    "use `veille import` for it"
                )
    else:
        sources = [s for s in settings.sources if s.enabled and s.kind.value in WEB_KINDS]
    kwargs = {"now": now} if now else {}
    return [CrawlJob(spider_for(s), s.name, dict(kwargs)) for s in sources]


PROBE_SOURCE = "veille-probe"


def probe(
    settings: Settings, url: str, engine: str = "auto", timezone: str | None = None
) -> dict[str, Any]:
    """What the crawler reads on `url` (see crawlers/spiders/probe.py), without storing."""
    from config.settings import SourceSettings
    from crawlers.process import run_crawl

    source = SourceSettings(
        name=PROBE_SOURCE,
        kind=SourceKind.FORUM,
        url=url,
        engine=engine,
        timezone=timezone or "Europe/Paris",
    )
    probing = settings.model_copy(update={"sources": [*settings.sources, source]})
    [result] = run_crawl(probing, [CrawlJob("probe", PROBE_SOURCE, {"thread_pages": 1})])
    found: dict[str, Any] = dict(result.get("probe") or {"url": url})
    found["errors"] = result.get("errors", 0)
    found["http_errors"] = result.get("http_errors", {})
    return found


def probe_works(found: dict[str, Any]) -> bool:
    """A known engine, and posts with authors and dates on the thread it read."""
    thread = found.get("thread") or {}
    return bool(
        found.get("engine") and thread.get("posts") and thread.get("authors")
        and thread.get("dates")
    )  # fmt: skip


@dataclass
class CrawlOutcome:
    summary: dict[str, Any]
    failed: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # failed source -> why


def failure_reason(result: dict[str, Any]) -> str | None:
    """Why a source failed: it is broken (its spider says why: a credential to set, markup
    that changed), or not one page could be read; None when it did not fail."""
    if result.get("broken"):
        return " ".join(result["broken"])
    if result.get("pages", 0) > 0:
        return None
    if result.get("messages"):  # the spider said why, by name
        return " ".join(result["messages"])
    if result.get("robots_forbidden"):
        return (
            f"the site's robots.txt forbids Veille to read {result['robots_forbidden'][0]} "
            "(Veille obeys robots.txt, crawl.obey_robots); ask the site for access, or remove "
            f"the source {result['source']}"
        )
    statuses = ", ".join(f"HTTP {k} ×{v}" for k, v in sorted(result.get("http_errors", {}).items()))
    return (
        f"no page of {result['source']} could be read"
        + (f" ({statuses})" if statuses else " (timeout, refused connection or not a forum)")
        + "; check its url in the config and the crawl log above"
    )


def crawl_sources(
    settings: Settings,
    engine: Engine,
    names: list[str] | None = None,
    now: str | None = None,
    parent_run_id: int | None = None,
    log_level: str = "WARNING",
    distributed: bool = False,
    local: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CrawlOutcome:
    """Crawl the enabled web sources (or the named ones) in one child process, or with
    `distributed` through the crawl workers (crawlers/distributed.py; `local` of them started
    here, `progress(pages, pending)` while they work).

    Each source gets its run recorded; a source that answers nothing (404, 500, timeouts,
    after retries) is counted and reported as failed, and never stops the others.
    Raises KeyError for an unknown or non-web source name.
    """
    from crawlers.process import CrawlFailed, merge, run_crawl
    from storage.runs import finish_run, start_run

    if distributed:
        from storage.workers import require_shared_database

        require_shared_database(settings.database.url, "A crawl with workers (--distributed)")
    jobs = web_jobs(settings, names, now)
    if not jobs:
        return CrawlOutcome(merge([]))
    runs = {
        job.source: start_run(
            engine, "crawl", stage="crawl", source=job.source, parent_id=parent_run_id
        )
        for job in jobs
    }
    spread: dict[str, Any] = {}
    try:
        if distributed:
            from crawlers.distributed import run_distributed

            results, spread = run_distributed(settings, engine, jobs, log_level, local, progress)
        else:
            results = run_crawl(settings, jobs, log_level=log_level)
    except (CrawlFailed, KeyboardInterrupt) as exc:
        for run in runs.values():
            run.status = "failed" if isinstance(exc, CrawlFailed) else "interrupted"
            run.error = str(exc)[:2000]
            finish_run(engine, run)
        raise
    failed = []
    reasons = {}
    for result in results:
        run = runs[result["source"]]
        run.counts = result
        reason = failure_reason(result)
        if reason is not None:
            failed.append(result["source"])
            reasons[result["source"]] = reason
            run.status, run.error = "failed", reason
        finish_run(engine, run)
    summary = merge(results)
    summary["failed_sources"] = failed
    summary.update(spread)
    return CrawlOutcome(summary, failed, reasons)
