"""Crawls in a child process, a fresh Twisted reactor each time (a reactor cannot restart).

The parent side, `run_crawl`, writes the jobs to a spec file and starts
`python -m crawlers.process SPEC.json`; the child side, `main`, runs the spiders and writes
one summary per job (`summarise`) for the parent to read back. So a long-lived process (the
scheduler) can crawl again and again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from config.child_processes import child_env, write_spec
from config.settings import Settings
from storage.clock import fixed_now, set_now


@dataclass
class CrawlJob:
    spider: str
    source: str
    kwargs: dict[str, Any] = field(default_factory=dict)


class CrawlFailed(Exception):
    exit_code = 1


def run_crawl(
    settings: Settings,
    jobs: list[CrawlJob],
    log_level: str = "WARNING",
    timeout: float | None = None,
    sequential: bool = False,
) -> list[dict[str, Any]]:
    """Run the jobs in one child process; returns one summary per job (see `summarise`).

    The jobs run side by side, or with `sequential` one after the other (an import's files).
    """
    if not jobs:
        return []
    with tempfile.TemporaryDirectory(prefix="veille-crawl-") as tmp:
        result_path = Path(tmp) / "result.json"
        spec_path = write_spec(
            Path(tmp) / "spec.json", settings,
            jobs=[job.__dict__ for job in jobs], result_path=str(result_path),
            log_level=log_level, sequential=sequential,
            clock=clock.isoformat() if (clock := fixed_now()) is not None else None,
        )  # fmt: skip
        proc = subprocess.run(
            [sys.executable, "-m", "crawlers.process", str(spec_path)],
            env=child_env(),
            timeout=timeout,
            stderr=subprocess.PIPE,
            text=True,
        )
        if proc.returncode != 0 or not result_path.exists():
            tail = (proc.stderr or "").strip().splitlines()[-3:]
            raise CrawlFailed(
                f"The crawl process failed (exit code {proc.returncode}): {' | '.join(tail)}"
            )
        if proc.stderr:
            sys.stderr.write(proc.stderr)
        results: list[dict[str, Any]] = json.loads(result_path.read_text(encoding="utf-8"))
        return results


# The child's side.


def _short_tracebacks(log_level: str) -> None:
    """Scrapy logs a failed download with its traceback (DownloadTimeoutError, a robots.txt
    that did not answer): without --debug, each such record says it in one line. Done when
    records are made, since Scrapy replaces its log handler for every crawler.

    Records below `log_level` are never shown and are left alone: formatting them costs
    (Scrapy's DEBUG "Scraped from" of an import's batch is the repr of 500 mentions)."""
    import logging

    from storage.errors import ShortTracebacks

    make = logging.getLogRecordFactory()
    shorten = ShortTracebacks()
    shown = logging.getLevelName(log_level)
    shown = shown if isinstance(shown, int) else logging.WARNING

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        if record.levelno >= shown:
            shorten.filter(record)
        return record

    logging.setLogRecordFactory(factory)


def _collect_less() -> None:
    """Fewer passes of the cycle collector in the crawl child.

    An import holds tens of thousands of records in flight (raw dicts, mapped mentions): at
    Python's default thresholds the collector walked them ~2,800 times for 100,000 tweets,
    3 of 16 CPU s. What was loaded at start (modules, settings) is frozen out of its scans,
    and a young-generation pass waits for 100,000 new objects instead of 700 (cycles are
    still freed, a little later)."""
    import gc

    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


RETRIED_STATUSES = {500, 502, 503, 504, 522, 524, 408, 429}


def count_errors(stats: dict[str, Any]) -> int:
    """Errors of one crawler, from its own stats (log counts are shared by every crawler).

    A request that failed after its retries (timeout, 5xx, refused connection), a page
    answered with another error status (404…), an exception in a callback, and the
    errors spiders count themselves as `veille/errors` (an undetectable engine, a page that
    is no feed, an export record kept aside, an export file that cannot be read further).
    """
    errors = int(stats.get("retry/max_reached", 0)) + int(stats.get("veille/errors", 0))
    if stats.get("veille/robots_forbidden") and not stats.get("veille/pages"):
        errors += 1  # robots.txt forbade the source's own page: it cannot be collected
    for key, value in stats.items():
        if key.startswith("httperror/response_ignored_status_count/"):
            status = key.rsplit("/", 1)[-1]
            if not status.isdigit() or int(status) not in RETRIED_STATUSES:
                errors += int(value)
        elif key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            errors += int(value)
    return errors


def summarise(stats: dict[str, Any]) -> dict[str, Any]:
    dropped = {
        key.removeprefix("veille/dropped/"): value
        for key, value in stats.items()
        if key.startswith("veille/dropped/")
    }
    new = int(stats.get("veille/new", 0))
    updated = int(stats.get("veille/updated", 0))
    unchanged = int(stats.get("veille/unchanged", 0))
    return {
        "seen": new + updated + unchanged + sum(dropped.values()),
        "new": new,
        "updated": updated,
        "unchanged": unchanged,
        "dropped": dropped,
        "errors": count_errors(stats),
        "pages": int(stats.get("veille/pages", 0)),
        "requests": int(stats.get("downloader/request_count", 0)),
        "threads": {
            key.removeprefix("veille/threads_"): value
            for key, value in stats.items()
            if key.startswith("veille/threads_")
        },
        # Thread pages whose posts could not be read (a changed theme): url and reason.
        "broken_pages": list(stats.get("veille/broken") or []),
        **({"probe": stats["veille/probe"]} if stats.get("veille/probe") else {}),
        "finish_reason": stats.get("finish_reason"),
        # Errors by name (SourceSpider.report): what to fix, or why the source is broken.
        "messages": list(stats.get("veille/messages", [])),
        "broken": list(stats.get("veille/source_broken", [])),
        # What the site refused without an error status (crawlers/refusals.py).
        "robots_forbidden": list(stats.get("veille/robots_forbidden", [])),
        "redirect_loops": list(stats.get("veille/redirect_loops", [])),
        "elapsed_seconds": stats.get("elapsed_time_seconds"),
        "http_errors": {
            key.rsplit("/", 1)[-1]: value
            for key, value in stats.items()
            if key.startswith("downloader/response_status_count/")
            and not key.rsplit("/", 1)[-1].startswith(("2", "3"))
        },
    }


KEYS = ("seen", "new", "updated", "unchanged", "errors")


def merge(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Add per-source summaries into one, keeping the per-source detail under `sources`."""
    total: dict[str, Any] = {key: sum(int(s.get(key, 0)) for s in summaries) for key in KEYS}
    dropped: Counter[str] = Counter()
    for s in summaries:
        dropped.update(s.get("dropped", {}))
    total["dropped"] = dict(dropped)
    total["sources"] = summaries
    return total


def main(spec_path: str) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawlers.settings import scrapy_settings
    from crawlers.spiders import spider_class

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    if spec.get("clock"):  # the parent's `--now`: collection times follow the run's clock
        set_now(datetime.fromisoformat(spec["clock"]))
    settings = Settings.model_validate(spec["settings"])
    log_level = spec.get("log_level", "WARNING")
    if log_level != "DEBUG":
        _short_tracebacks(log_level)
    process = CrawlerProcess(scrapy_settings(settings, log_level))
    _collect_less()
    crawlers = [(job, process.create_crawler(spider_class(job["spider"]))) for job in spec["jobs"]]

    def crawl(position: int) -> Any:
        job, crawler = crawlers[position]
        return process.crawl(crawler, source=job["source"], **job.get("kwargs", {}))

    if spec.get("sequential"):
        # One crawler after the other (imports: the files of a run in order, so a later
        # export's metrics win): each next one starts when the one before has closed, while
        # the process still waits on it (`join` loops until no crawl is active).
        def then(_: Any, position: int) -> Any:
            if position < len(crawlers):
                crawl(position).addBoth(then, position + 1)
            return _

        if crawlers:
            crawl(0).addBoth(then, 1)
    else:
        for position in range(len(crawlers)):
            crawl(position)
    process.start()
    results = []
    for job, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        results.append({"source": job["source"], "spider": job["spider"], **summarise(stats)})
    Path(spec["result_path"]).write_text(json.dumps(results, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
