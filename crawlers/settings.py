"""Scrapy settings built from Veille's settings: polite, throttled, identified."""

from __future__ import annotations

from typing import Any

from config.settings import Settings
from crawlers.pipelines import ITEM_PIPELINES
from crawlers.ratelimit import settings_for
from crawlers.refusals import MIDDLEWARES as REFUSALS


def scrapy_settings(settings: Settings, log_level: str = "WARNING") -> dict[str, Any]:
    crawl = settings.crawl
    limits = settings_for(crawl.rate_limit_max_wait_seconds, crawl.rate_limit_retries)
    middlewares = {**limits.pop("DOWNLOADER_MIDDLEWARES", {}), **REFUSALS}
    return {
        "BOT_NAME": "veille",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "DOWNLOAD_DELAY": crawl.download_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "CONCURRENT_REQUESTS": max(16, crawl.concurrency_per_domain * 4),
        # Scrapy starts this many asyncio tasks for *every* callback's output; the pipelines
        # are synchronous and a thread page yields one batch of mentions: a few suffice
        # (the default, 100, cost more CPU than reading the page).
        "CONCURRENT_ITEMS": 4,
        "DOWNLOAD_TIMEOUT": crawl.timeout_seconds,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": crawl.retries,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "ITEM_PIPELINES": ITEM_PIPELINES,
        "LOG_LEVEL": log_level,
        "LOG_FORMATTER": "crawlers.pipelines.QuietDropsFormatter",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "VEILLE_SETTINGS": settings,
        "VEILLE_DATABASE_URL": settings.database.url,
        **limits,
        "DOWNLOADER_MIDDLEWARES": middlewares,
    }
