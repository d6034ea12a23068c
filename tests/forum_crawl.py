"""Real crawls of the forum fixtures (tests/fixtures/forums) served on localhost, and how
what was stored compares with what a reader found on each page.

Used by tests/test_forum_crawls.py and by the done-when table (tests/forum_report.py).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from forum_fixtures import ForumFixture
from scrapy.http import HtmlResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from config.settings import Settings
from crawlers.crawling import spider_for
from crawlers.dates import SOURCE_TIMEZONE
from crawlers.engines import detect_engine, html_engine
from crawlers.process import CrawlJob, run_crawl
from storage.engine import make_engine
from storage.models import Mention, Source
from storage.schema import upgrade
from veille_demo.server import SiteServer, file_name

# Every post is about some brand here: a query that matches any text keeps them all.
EVERYTHING = [{"name": "Tout", "query": "NOT zzqxjwv"}]
FALLBACK_NOW = datetime(2026, 1, 1, tzinfo=UTC)
CHARSET = {"windows-1252": "windows-1252", "ISO-8859-1": "ISO-8859-1"}


@dataclass
class PostCheck:
    """One expected post against what the crawl stored."""

    found: bool
    author_ok: bool = False
    date_ok: bool = False
    rule_ok: bool = False
    quote_left: bool = False  # a quoted or signature snippet is in the stored text
    kept_ok: bool = True
    problems: list[str] = field(default_factory=list)


@dataclass
class FixtureOutcome:
    """A fixture's crawl: expected and stored posts, and each post's check."""

    fixture: ForumFixture
    stored: int
    expected: int  # posts with text of their own (an image-only post is dropped: no text)
    checks: list[PostCheck]
    title_ok: bool
    next_ok: bool
    detected: str | None
    errors: int
    problems: list[str]

    @property
    def authors_ok(self) -> int:
        return sum(c.author_ok for c in self.checks)

    @property
    def dates_ok(self) -> int:
        return sum(c.date_ok and c.rule_ok for c in self.checks)

    @property
    def quotes_left(self) -> int:
        return sum(c.quote_left for c in self.checks)

    @property
    def perfect(self) -> bool:
        return not self.problems


def source_name(fixture: ForumFixture) -> str:
    return fixture.name.replace("/", "__").replace(".", "-")


def serve_layout(fixtures: list[ForumFixture], pages: Path | None, root: Path) -> dict[str, str]:
    """Copy each page under root/<n>/ at its own path and query; returns the content types."""
    types: dict[str, str] = {}
    for n, fixture in enumerate(fixtures):
        page = fixture.page_path(pages)
        folder = root / str(n)
        if fixture.style_family == "discourse_json":
            topic = json.loads(page.read_text(encoding="utf-8"))
            _discourse_site(folder, topic)
            continue
        parts = urlsplit(fixture.source["url"])
        target = folder / file_name(parts.path, parts.query)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
        charset = CHARSET.get(fixture.encoding)
        if charset:
            types[target.relative_to(root).as_posix()] = f"text/html; charset={charset}"
    return types


def _discourse_site(folder: Path, topic: dict[str, Any]) -> None:
    """latest.json listing the topic, the topic (t/ID.json) and its posts (posts.json)."""
    posts = topic["post_stream"]["posts"]
    last = max(p["created_at"] for p in posts)
    latest = {
        "topic_list": {
            "topics": [
                {"id": topic["id"], "slug": topic.get("slug", "topic"), "title": topic["title"],
                 "last_posted_at": last, "bumped_at": last, "reply_count": len(posts) - 1,
                 "pinned": False},
            ]
        }
    }  # fmt: skip
    (folder / "t" / str(topic["id"])).mkdir(parents=True, exist_ok=True)
    (folder / "latest.json").write_text(json.dumps(latest), encoding="utf-8")
    (folder / "t" / f"{topic['id']}.json__include_raw=true").write_text(
        json.dumps(topic), encoding="utf-8"
    )
    (folder / "t" / str(topic["id"]) / "posts_all.json").write_text(
        json.dumps(posts), encoding="utf-8"
    )


def crawl_fixtures(
    fixtures: list[ForumFixture], pages: Path | None, workdir: Path
) -> dict[str, FixtureOutcome]:
    """Serve the pages, crawl them all in one crawl process, compare every field."""
    site = workdir / "site"
    types = serve_layout(fixtures, pages, site)
    server = SiteServer(site, content_types=types).start()
    try:
        url = f"sqlite:///{workdir / 'forums.db'}"
        db = make_engine(url)
        upgrade(db)
        sources = []
        for n, fixture in enumerate(fixtures):
            parts = urlsplit(fixture.source["url"])
            local = f"{server.base_url}/{n}{parts.path}" + (
                f"?{parts.query}" if parts.query else ""
            )
            if fixture.style_family == "discourse_json":
                sources.append(
                    {
                        "name": source_name(fixture),
                        "kind": "discourse",
                        "url": f"{server.base_url}/{n}/",
                        "lookback_days": 20000,
                    }
                )
                continue
            sources.append(
                {
                    "name": source_name(fixture),
                    "kind": "forum",
                    "url": local,
                    "timezone": fixture.source_timezone or "Europe/Paris",
                    "lookback_days": 20000,
                    "options": {"html": True} if fixture.style_family == "discourse_html" else {},
                }
            )
        settings = Settings.model_validate(
            {
                "database": {"url": url, "batch_size": 200},
                "brands": EVERYTHING,
                "sources": sources,
                "crawl": {
                    "download_delay": 0,
                    "autothrottle": False,
                    "timeout_seconds": 10,
                    "retries": 0,
                    "concurrency_per_domain": 8,
                },
            }
        )
        jobs = []
        for fixture in fixtures:
            source = settings.source(source_name(fixture))
            now = (fixture.page_now or FALLBACK_NOW).isoformat()
            jobs.append(CrawlJob(spider_for(source), source.name, {"now": now, "thread_pages": 1}))
        results = {r["source"]: r for r in run_crawl(settings, jobs)}
        outcomes = {}
        for n, fixture in enumerate(fixtures):
            result = results[source_name(fixture)]
            outcomes[fixture.name] = compare(fixture, db, result, pages, n, server.base_url)
        db.dispose()
        return outcomes
    finally:
        server.stop()


def compare(
    fixture: ForumFixture,
    db: Any,
    result: dict[str, Any],
    pages: Path | None,
    n: int,
    base: str,
) -> FixtureOutcome:
    with Session(db) as session:
        mentions = list(
            session.scalars(
                select(Mention)
                .join(Source)
                .where(Source.name == source_name(fixture))
                .options(joinedload(Mention.author))
            )
        )
    problems: list[str] = []
    expected_posts = [p for p in fixture.posts if p.text_snippet is not None]
    checks = []
    used: set[int] = set()
    stored: dict[int, Mention] = {}  # post number -> its stored mention
    for number, post in enumerate(fixture.posts, start=1):
        where = f"post {number}"
        if post.text_snippet is None:  # no text of its own: dropped as "no text"
            continue
        # The same words may be posted twice (a copy, a repeat): the author, then the date,
        # tell which stored post is this one.
        hits = [m for m in mentions if post.text_snippet in m.text and m.id not in used]
        hits = [m for m in hits if m.author and m.author.handle == post.author] or hits
        hits = [m for m in hits if m.published_at == post.published_at] or hits
        if not hits:
            checks.append(PostCheck(False, problems=[f"{where}: not stored"]))
            problems.append(f"{where}: snippet {post.text_snippet!r} not stored")
            continue
        mention = hits[0]
        used.add(mention.id)
        stored[number] = mention
        check = PostCheck(True)
        handle = mention.author.handle if mention.author else None
        check.author_ok = handle == post.author
        if not check.author_ok:
            check.problems.append(f"{where}: author {handle!r}, expected {post.author!r}")
        rule = (mention.raw or {}).get("date_rule")
        check.rule_ok = rule == post.date_rule
        if not check.rule_ok:
            check.problems.append(f"{where}: date rule {rule!r}, expected {post.date_rule!r}")
        if post.published_at is None:  # only the source's zone can date it
            check.date_ok = mention.published_at is not None and post.date_rule == SOURCE_TIMEZONE
        else:
            check.date_ok = mention.published_at == post.published_at
        if not check.date_ok:
            check.problems.append(
                f"{where}: date {mention.published_at}, expected {post.published_at}"
            )
        for label, absent in (("quote", post.quote_absent), ("signature", post.signature_absent)):
            if absent is not None and absent in mention.text:
                check.quote_left = True
                check.problems.append(f"{where}: the {label} {absent!r} is in the stored text")
        # The post a quote names is the reply's parent (written pages say which one; a saved
        # page's expected file does not, so its parents are not checked).
        quoted = stored.get(post.replies_to) if post.replies_to else None
        wanted = quoted.external_id if quoted is not None else None
        if fixture.written and mention.parent_id != wanted:
            check.problems.append(f"{where}: parent {mention.parent_id!r}, expected {wanted!r}")
        if post.kept is not None and post.kept not in mention.text:
            check.kept_ok = False
            check.problems.append(f"{where}: the author's own quotation {post.kept!r} was cut")
        problems += check.problems
        checks.append(check)
    if len(mentions) != len(expected_posts):
        problems.append(f"stored {len(mentions)} posts, expected {len(expected_posts)}")
    titles = {m.thread_title for m in mentions}
    title_ok = titles == {fixture.thread_title}
    if not title_ok:
        problems.append(f"thread titles {titles}, expected {fixture.thread_title!r}")
    detected, next_ok = _page_checks(fixture, pages)
    if not next_ok:
        problems.append("next page not found or wrong")
    if fixture.style_family not in ("discourse_json",) and detected != fixture.engine:
        problems.append(f"detected engine {detected!r}, expected {fixture.engine!r}")
    if result["errors"]:
        problems.append(f"{result['errors']} crawl errors: {result.get('http_errors')}")
    if result.get("broken_pages"):
        problems.append(f"reported broken: {result['broken_pages']}")
    return FixtureOutcome(
        fixture, len(mentions), len(expected_posts), checks, title_ok, next_ok, detected,
        int(result["errors"]), problems,
    )  # fmt: skip


def _page_checks(fixture: ForumFixture, pages: Path | None) -> tuple[str | None, bool]:
    """The engine detected on the page, and whether it finds the expected next page."""
    if fixture.style_family == "discourse_json":
        return "discourse", True
    url = fixture.source["url"]
    codec = CHARSET.get(fixture.encoding)
    response = HtmlResponse(
        url, body=fixture.page_path(pages).read_bytes(), encoding=codec or "utf-8"
    )
    detected = detect_engine(response)
    engine = html_engine(fixture.engine, {"html": True})
    found = engine.next_thread_page(response)
    wanted = urljoin(url, fixture.next_page) if fixture.next_page else None
    return detected, (response.urljoin(found) if found else None) == wanted
