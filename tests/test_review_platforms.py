"""Real crawls of review-platform pages (tests/fixtures/review_platforms/, pages written for the
project in the shapes real platforms use, invented French content) served locally, compared
field by field with expected.yaml; then the next night, and pages whose markup changed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from api_expect import differences, stored
from conftest_sites import crawl_settings
from sqlalchemy import Engine

from crawlers.crawling import web_jobs
from crawlers.process import run_crawl
from storage.crawl_state import load_threads
from storage.engine import make_engine
from storage.schema import upgrade
from veille_demo.server import SiteServer

ROOT = Path(__file__).with_name("fixtures") / "review_platforms"
EXPECTED: dict[str, Any] = yaml.safe_load((ROOT / "expected.yaml").read_text(encoding="utf-8"))
NOW1 = datetime(2026, 3, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
NOW2 = datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
# Pages that should hold reviews and yield none: the source is reported broken.
CHANGED = {
    "vitrine": "/vitrine/avis.html",  # the review cards lost their schema.org markup
    "plateforme-v2": "/plateforme-v2/review/lumino.fr",  # the embedded JSON was renamed
}


@dataclass
class Nights:
    server: SiteServer
    db: Engine
    after1: dict[str, dict[str, Any]]  # each source's stored mentions after the first night
    first: dict[str, dict[str, Any]]
    second: dict[str, dict[str, Any]]
    requests1: list[str]
    requests2: list[str]

    @property
    def host(self) -> str:
        return self.server.base_url.split("//", 1)[1]


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nights]:
    server = SiteServer(ROOT).start()
    url = f"sqlite:///{tmp_path_factory.mktemp('reviews') / 'veille.db'}"
    db = make_engine(url)
    upgrade(db)
    sources = [
        {"name": name, "kind": "reviews", "url": server.base_url + spec["url"],
         "options": spec["options"]}
        for name, spec in EXPECTED.items()
    ] + [
        {"name": name, "kind": "reviews", "url": server.base_url + path}
        for name, path in {**CHANGED, "nouveau": "/nouveau/avis.html"}.items()
    ]  # fmt: skip
    settings = crawl_settings(url, sources, obey_robots=False)
    out = []
    after1: dict[str, dict[str, Any]] = {}
    try:
        for variant, now in (("run1", NOW1), ("run2", NOW2)):
            server.variant = variant
            with server.lock:
                server.requests.clear()
            results = run_crawl(settings, web_jobs(settings, now=now.isoformat()))
            with server.lock:
                out.append(({r["source"]: r for r in results}, list(server.requests)))
            if variant == "run1":
                after1 = {name: stored(db, name) for name in EXPECTED}
        yield Nights(server, db, after1, out[0][0], out[1][0], out[0][1], out[1][1])
    finally:
        server.stop()
        db.dispose()


@pytest.mark.parametrize("platform", list(EXPECTED))
def test_every_review_and_reply_is_stored_with_its_fields(nights: Nights, platform: str) -> None:
    expected = EXPECTED[platform]["run1"]["mentions"]
    found = nights.after1[platform]
    assert differences(expected, found, nights.host) == []
    result = nights.first[platform]
    assert result["new"] == len(expected), result
    assert result["pages"] == EXPECTED[platform]["pages"], result
    assert result["errors"] == 0 and result["broken"] == [], result
    assert set(found) == set(expected)  # nothing more: older reviews, a visitor's comment


def test_the_next_night_stops_at_reviews_already_seen(nights: Nights) -> None:
    run2 = EXPECTED["plateforme"]["run2"]
    found = stored(nights.db, "plateforme")
    assert differences(run2["new"], found, nights.host) == []
    assert differences(run2["updated"], found, nights.host) == []
    second = nights.second["plateforme"]
    assert second["new"] == len(run2["new"]) and second["updated"] == len(run2["updated"])
    # Page 2 opens with Nadia's review, older than the newest seen less revisit_days: no page 3
    # and nothing older is read again.
    mine = [r for r in nights.requests2 if r.startswith("/plateforme/")]
    assert mine == ["/plateforme/review/lumino.fr", "/plateforme/review/lumino.fr?page=2"]
    state = load_threads(nights.db, "plateforme")["reviews"]
    assert state.last_post_id == "69f1a0c2e4b0a1b2c3d4e500"


def test_the_look_back_ends_the_pages(nights: Nights) -> None:
    assert "/boutique/avis-clients-3.html" not in nights.requests1
    assert "/boutique/avis-clients-2.html" in nights.requests1


@pytest.mark.parametrize("source", list(CHANGED))
def test_a_page_whose_markup_changed_is_reported_broken(nights: Nights, source: str) -> None:
    result = nights.first[source]
    assert result["new"] == 0
    assert len(result["broken"]) == 1, result
    message = result["broken"][0]
    assert CHANGED[source] in message and "markup" in message
    assert ("1,240 reviews" if source == "vitrine" else "8 reviews") in message


def test_a_page_that_says_it_has_no_review_yet_is_not_broken(nights: Nights) -> None:
    result = nights.first["nouveau"]
    assert result["pages"] == 1 and result["new"] == 0
    assert result["broken"] == [] and result["errors"] == 0
