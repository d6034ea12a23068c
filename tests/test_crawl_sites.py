"""Real crawls of the fixture sites (every engine, a feed, review pages), then a second night."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from build import NOW1, NOW2
from conftest_sites import crawl_settings
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from crawlers.crawling import web_jobs
from crawlers.process import run_crawl
from storage.crawl_state import load_threads
from storage.engine import make_engine
from storage.models import Author, Mention, Source
from storage.schema import upgrade
from veille_demo.server import SiteServer

FORUMS = ["phpbb", "vbulletin", "xenforo", "discourse", "discourse-auto", "generic"]
# Posts about a brand within the look-back; the generic listing shows no dates, so that
# spider cannot tell that threads 14 and 15 are too old and reads them too.
FIRST = {forum: 37 if forum == "generic" else 34 for forum in FORUMS}
GENERIC = {
    "thread_links": "a.sujet",
    "post": "div.message",
    "author": ".pseudo::text",
    "date": ".quand::text",
    "body": ".texte",
    "next_page": "a.suivant",
    "remove": [".citation"],
}


def sources(base: str) -> list[dict[str, Any]]:
    return [
        {"name": "phpbb", "kind": "forum", "url": f"{base}/phpbb/index.php"},
        {"name": "vbulletin", "kind": "forum", "url": f"{base}/vbulletin/index.php"},
        {"name": "xenforo", "kind": "forum", "engine": "xenforo", "url": f"{base}/xenforo/"},
        {"name": "discourse", "kind": "discourse", "url": f"{base}/discourse/"},
        {"name": "discourse-auto", "kind": "forum", "url": f"{base}/discourse/"},
        {"name": "generic", "kind": "forum", "engine": "generic", "url": f"{base}/generic/",
         "options": GENERIC},
        {"name": "blog", "kind": "rss", "url": f"{base}/feeds/blog.xml"},
        {"name": "atom", "kind": "rss", "url": f"{base}/feeds/atom.xml"},
        {"name": "avis", "kind": "reviews", "url": f"{base}/reviews/nova-10.html"},
        {"name": "avis-micro", "kind": "reviews", "url": f"{base}/reviews/ambra.html"},
        {"name": "disabled", "kind": "rss", "url": f"{base}/feeds/blog.xml", "enabled": False},
    ]  # fmt: skip


@dataclass
class Crawls:
    db: Engine
    first: dict[str, dict[str, Any]]
    second: dict[str, dict[str, Any]]
    requests1: list[str]
    requests2: list[str]

    def texts(self, source: str) -> dict[str, Mention]:
        with Session(self.db) as session:
            rows = session.scalars(select(Mention).join(Source).where(Source.name == source))
            return {m.external_id: m for m in rows}


@pytest.fixture(scope="module")
def crawls(site_server: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    db_path: Path = tmp_path_factory.mktemp("crawl") / "veille.db"
    url = f"sqlite:///{db_path}"
    db = make_engine(url)
    upgrade(db)
    settings = crawl_settings(url, sources(site_server.base_url))
    out = []
    for variant, now in (("run1", NOW1), ("run2", NOW2)):
        site_server.variant = variant
        with site_server.lock:
            site_server.requests.clear()
        results = run_crawl(settings, web_jobs(settings, now=now.isoformat()))
        with site_server.lock:
            out.append(({r["source"]: r for r in results}, list(site_server.requests)))
    site_server.variant = "run1"
    yield Crawls(db, out[0][0], out[1][0], out[0][1], out[1][1])
    db.dispose()


@pytest.mark.parametrize("forum", FORUMS)
def test_first_crawl_stores_every_post_about_a_brand(crawls: Crawls, forum: str) -> None:
    result = crawls.first[forum]
    assert result["new"] == FIRST[forum], result
    assert result["dropped"] == {"no brand": 1}  # the forum rules mention no brand
    assert result["errors"] == (1 if forum == "phpbb" else 0)  # phpBB links a page answering 500


def test_disabled_sources_are_not_crawled(crawls: Crawls) -> None:
    assert "disabled" not in crawls.first


@pytest.mark.parametrize("forum", ["phpbb", "vbulletin", "xenforo", "generic"])
def test_posts_have_clean_text_author_thread_and_utc_date(crawls: Crawls, forum: str) -> None:
    mentions = crawls.texts(forum)
    quoted = mentions["1002"]
    assert quoted.text.startswith("Je ne suis pas d'accord, Lumino reste meilleur.")
    assert "Maxishop" not in quoted.text  # the quoted post is someone else's words
    assert "Rivéo" not in mentions["1003"].text  # the signature is not part of the post
    hostile = mentions["1004"].text
    assert "Mon avis sur Lumino : très bien." in hostile
    assert all(bad not in hostile for bad in ("<", "alert", "pirate", "color:red"))
    first = mentions["1001"]
    assert first.thread_title == "Lumino Nova 10 : vos avis ?"
    assert first.thread_id and first.thread_url and first.url
    assert first.published_at is not None and first.published_at.utcoffset() is not None
    with Session(crawls.db) as session:
        author = session.scalars(
            select(Author).join(Source).where(Source.name == forum, Author.handle == "Élodie_B")
        ).one()
    if forum != "generic":
        assert author.profile_url and author.profile_url.startswith("http")
        assert author.post_count == 1234


def test_every_engine_reads_the_same_dates(crawls: Crawls) -> None:
    """ISO attributes (phpBB), '14/03/2026, 12h00' (vBulletin), 'Posté le …' (generic), JSON."""
    reference = {k: m.published_at for k, m in crawls.texts("phpbb").items()}
    assert len(reference) == 38
    for forum in ["vbulletin", "xenforo", "discourse", "generic"]:
        dates = {k: m.published_at for k, m in crawls.texts(forum).items() if k in reference}
        assert dates == reference, forum
    assert reference["1025"] == NOW1.replace(day=14)  # the last post of thread 10: yesterday


@pytest.mark.parametrize("forum", ["phpbb", "vbulletin", "xenforo", "generic"])
def test_listing_stops_at_the_look_back_and_robots_are_obeyed(crawls: Crawls, forum: str) -> None:
    mine = [r for r in crawls.requests1 if f"/{forum}/" in r]
    thread_15 = {"phpbb": "t=15", "vbulletin": "t=15", "xenforo": ".15/", "generic": "sujet-15"}
    if forum != "generic":  # the generic listing shows no dates: it cannot know
        assert not [r for r in mine if thread_15[forum] in r or "t=14" in r or ".14/" in r]
    assert not [r for r in crawls.requests1 if "f=9" in r]  # robots.txt forbids this forum
    assert "/robots.txt" in crawls.requests1
    assert [r for r in mine if r.startswith("/delay/")] == (
        ["/delay/0.3/phpbb/viewtopic.php?t=11"] if forum == "phpbb" else []
    )


@pytest.mark.parametrize("forum", FORUMS)
def test_second_night_fetches_only_what_is_new(crawls: Crawls, forum: str) -> None:
    result = crawls.second[forum]
    assert result["new"] == 4, result  # two new posts in thread 10, a new thread of two
    assert result["updated"] == (1 if forum == "xenforo" else 0)  # a like count changed
    assert len(crawls.texts(forum)) == FIRST[forum] + 4  # nothing stored twice
    assert result["threads"].get("unchanged", 0) >= (0 if forum == "generic" else 2)
    if forum.startswith("discourse"):
        batch = [r for r in crawls.requests2 if "/t/10/posts.json" in r]
        assert batch and all("1026" in b and "1001" not in b for b in batch)
        return
    mine = [r for r in crawls.requests2 if f"/{forum}/" in r]
    thread_10 = [r for r in mine if "t=10" in r or ".10/" in r or "sujet-10" in r]
    assert len(thread_10) == 1, thread_10  # resumed at its last page, not read again
    assert "start=20" in thread_10[0] or "page" in thread_10[0] or "10-3" in thread_10[0]
    if forum != "generic":  # unchanged and quiet for more than revisit_days: not fetched
        assert not [r for r in mine if "t=12" in r or ".12/" in r or "t=13" in r or ".13/" in r]


def test_thread_state_is_kept_per_source(crawls: Crawls) -> None:
    states = load_threads(crawls.db, "phpbb")
    assert set(states) == {"1", "10", "11", "12", "13", "16"}  # not 18: its page failed
    assert states["10"].last_page == 3 and states["10"].last_post_id == "1027"
    assert states["10"].last_post_at == NOW2.replace(hour=10)  # two hours before run 2


def test_feeds_follow_rel_next_until_the_look_back(crawls: Crawls) -> None:
    blog = crawls.texts("blog")
    assert sorted(blog) == ["billet-1", "billet-2", "billet-4"]  # 3: no brand; 5: too old
    assert crawls.first["blog"]["dropped"] == {"no brand": 1}
    assert not [r for r in crawls.requests1 if "blog-3.xml" in r]
    first = blog["billet-1"]
    assert first.title == "Test de la Lumino Nova 10"
    assert first.text == "La Lumino Nova 10 est rapide." and first.comments == 4
    assert first.url == "http://blog.example.org/billet-1"
    atom = ["urn:veille:billet-1", "urn:veille:billet-2", "urn:veille:billet-4"]
    assert sorted(crawls.texts("atom")) == atom
    assert crawls.second["blog"]["new"] == 0 and crawls.second["blog"]["unchanged"] == 3


def test_reviews_from_json_ld_and_microdata(crawls: Crawls) -> None:
    reviews = crawls.texts("avis")
    assert len(reviews) == 3  # the fourth is older than the look-back
    by_author = {m.raw["review"]["author"]["name"]: m for m in reviews.values()}
    assert by_author["Nadia"].rating == 5.0 and by_author["Hugo"].rating == 2.0
    assert by_author["Hugo"].text == "Écran Lumino rayé à la livraison"
    assert by_author["Nadia"].thread_title == "Tablette Lumino Nova 10"
    assert by_author["Nadia"].raw["aggregate"]["ratingValue"] == 3.7
    micro = {m.text: m for m in crawls.texts("avis-micro").values()}
    assert micro["Bonne tablette Lumino, un peu chère."].rating == 4.0  # 8/10 -> 4/5
    assert crawls.second["avis"]["unchanged"] == 3 and crawls.second["avis"]["new"] == 0


def test_no_markup_survives_anywhere(crawls: Crawls) -> None:
    with crawls.db.connect() as conn:
        texts = conn.execute(select(Mention.text)).scalars().all()
        total = conn.execute(select(func.count()).select_from(Mention)).scalar_one()
    assert total == len(texts) > 200
    assert not [t for t in texts if "<" in t or "alert(" in t]
