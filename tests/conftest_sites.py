"""Crawl-test fixtures: the fixture sites served on a local port, and crawl settings."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings
from veille_demo.server import SiteServer

SITES = Path(__file__).with_name("fixtures") / "sites"
sys.path.insert(0, str(SITES))

BRANDS = [
    {"name": "Lumino", "query": ["lumino"], "competitors": ["Rivéo", "Maxishop"]},
    {"name": "Rivéo", "query": ["riveo", "rivéo"]},
    {"name": "Maxishop", "query": ["maxishop"]},
]


@pytest.fixture(scope="session")
def site_server() -> Iterator[SiteServer]:
    """The fixture sites on 127.0.0.1 (port 0), with delay, status and Discourse endpoints."""
    server = SiteServer(SITES).start()
    server.variant = "run1"
    yield server
    server.stop()


@pytest.fixture
def sites(site_server: SiteServer) -> Iterator[SiteServer]:
    """The site server reset to the first state, with an empty request log."""
    site_server.variant = "run1"
    with site_server.lock:
        site_server.requests.clear()
    yield site_server
    site_server.variant = "run1"


def crawl_settings(db_url: str, sources: list[dict[str, Any]], **crawl: Any) -> Settings:
    """Settings for fast, polite-but-unthrottled test crawls against the local server."""
    return Settings.model_validate(
        {
            "database": {"url": db_url, "batch_size": 50},
            "brands": BRANDS,
            "sources": sources,
            "crawl": {
                "download_delay": 0,
                "autothrottle": False,
                "timeout_seconds": 5,
                "retries": 1,
                "concurrency_per_domain": 8,
                **crawl,
            },
        }
    )
