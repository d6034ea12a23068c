"""Child process of a crawl: `python -m crawlers.run SPEC.json`, a fresh reactor each time."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from config.settings import Settings


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
        "errors": int(stats.get("log_count/ERROR", 0)),
        "pages": int(stats.get("response_received_count", 0)),
        "finish_reason": stats.get("finish_reason"),
        "http_errors": {
            key.rsplit("/", 1)[-1]: value
            for key, value in stats.items()
            if key.startswith("downloader/response_status_count/") and not key.endswith(("/200",))
        },
    }


def main(spec_path: str) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawlers.settings import scrapy_settings
    from crawlers.spiders import spider_class

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    settings = Settings.model_validate(spec["settings"])
    process = CrawlerProcess(scrapy_settings(settings, spec.get("log_level", "WARNING")))
    crawlers = []
    for job in spec["jobs"]:
        crawler = process.create_crawler(spider_class(job["spider"]))
        crawlers.append((job, crawler))
        process.crawl(crawler, source=job["source"], **job.get("kwargs", {}))
    process.start()
    results = []
    for job, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        results.append({"source": job["source"], "spider": job["spider"], **summarise(stats)})
    Path(spec["result_path"]).write_text(json.dumps(results, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
