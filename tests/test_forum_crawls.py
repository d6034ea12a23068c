"""Real crawls of every forum fixture page served on localhost: each post stored once, with its
author, its UTC date and the rule that gave it, its own text without quotes or signatures.

The written pages (tests/fixtures/forums/written) always run; the saved real pages run when
$VEILLE_FORUM_PAGES or ../shared/data/forum_pages holds them, and skip with the reason if not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from forum_crawl import FixtureOutcome, crawl_fixtures
from forum_fixtures import SHARED_DATA, ForumFixture, all_fixtures, pages_root

FIXTURES = all_fixtures()
WRITTEN = [f for f in FIXTURES if f.written]
SAVED = [f for f in FIXTURES if not f.written]


def saved_root() -> Path | None:
    return pages_root() or pages_root(SHARED_DATA)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FixtureOutcome]:
    """One crawl process for every page at hand (written ones, and saved ones when present)."""
    root = saved_root()
    fixtures = WRITTEN + (SAVED if root is not None else [])
    return crawl_fixtures(fixtures, root, tmp_path_factory.mktemp("forums"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_crawl_stores_what_a_reader_sees(
    fixture: ForumFixture, outcomes: dict[str, FixtureOutcome]
) -> None:
    if fixture.name not in outcomes:
        pytest.skip(f"saved page absent: no $VEILLE_FORUM_PAGES and no {SHARED_DATA}/forum_pages")
    outcome = outcomes[fixture.name]
    assert outcome.problems == [], "\n".join(outcome.problems)
    assert outcome.stored == outcome.expected > 0
    assert outcome.authors_ok == outcome.dates_ok == outcome.expected
    assert outcome.quotes_left == 0


def test_french_pages_of_every_family() -> None:
    families = {f.style_family for f in WRITTEN if f.language == "fr"}
    assert {"prosilver", "subsilver2", "vb3", "vb4", "xf2", "smf", "mybb", "ips5", "flarum"} <= (
        families | {"discourse_html"}
    )


# Forum feeds carry their posts' quote markup. Discourse's topic feed (show.rss.erb) wraps each
# post in "<p>@name wrote:</p><blockquote>…</blockquote><p><a>Read full topic</a></p>".
DISCOURSE_RSS = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Wi-Fi de la Nova 10 : la solution</title>
    <link>https://discussion.exemple.fr/t/wifi-nova-10/1452</link>
    <description>Chez moi le Wi-Fi décroche</description>
    <language>fr</language>
    <lastBuildDate>Mon, 18 Mar 2024 14:40:00 +0000</lastBuildDate>
    <category>Support</category>
    <atom:link href="https://discussion.exemple.fr/t/wifi-nova-10/1452.rss" rel="self" type="application/rss+xml" />
      <item>
        <title>Wi-Fi de la Nova 10 : la solution</title>
        <dc:creator><![CDATA[@karim_d Karim D]]></dc:creator>
        <description><![CDATA[
          <p><a href="https://discussion.exemple.fr/u/karim_d">@karim_d</a> a écrit :</p>
          <blockquote>
            <aside class="quote no-group" data-username="marc75" data-post="1" data-topic="1452">
<div class="title">
<div class="quote-controls"></div>
<img alt="" width="24" height="24" src="https://discussion.exemple.fr/user_avatar/discussion.exemple.fr/marc75/48/2_2.png" class="avatar"> marc75:</div>
<blockquote>
<p>Chez moi le Wi-Fi décroche dès que je passe dans la cuisine.</p>
</blockquote>
</aside>
<p>Je confirme pour le Wi-Fi, ça venait de la box et pas de la tablette Lumino.</p>
<blockquote>
<p>Garantie commerciale de deux ans, pièces et main-d'œuvre.</p>
</blockquote>
          </blockquote>
          <p><a href="https://discussion.exemple.fr/t/wifi-nova-10/1452/2">Lire le sujet en entier</a></p>
        ]]></description>
        <link>https://discussion.exemple.fr/t/wifi-nova-10/1452/2</link>
        <pubDate>Mon, 18 Mar 2024 12:35:00 +0000</pubDate>
        <guid isPermaLink="false">discussion.exemple.fr-post-1452-2</guid>
        <source url="https://discussion.exemple.fr/t/wifi-nova-10/1452.rss">Wi-Fi de la Nova 10 : la solution</source>
      </item>
  </channel>
</rss>
"""

# phpBB's feed.php (Atom): a cited quote, then the post, then its statistics line.
PHPBB_ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<link rel="self" type="application/atom+xml" href="http://www.forum-conso.fr/feed.php?t=912" />
<title>Forum Conso</title>
<link href="http://www.forum-conso.fr/index.php" />
<updated>2024-03-28T17:05:00+01:00</updated>
<author><name><![CDATA[Forum Conso]]></name></author>
<id>http://www.forum-conso.fr/feed.php?t=912</id>
<entry>
<author><name><![CDATA[sophie.l]]></name></author>
<updated>2024-03-28T17:05:00+01:00</updated>
<published>2024-03-28T17:05:00+01:00</published>
<id>http://www.forum-conso.fr/viewtopic.php?t=912&amp;p=40214#p40214</id>
<link href="http://www.forum-conso.fr/viewtopic.php?t=912&amp;p=40214#p40214"/>
<title type="html"><![CDATA[Achats en ligne • Re: Remboursement Maxishop]]></title>
<content type="html" xml:base="http://www.forum-conso.fr/viewtopic.php?t=912&amp;p=40214#p40214"><![CDATA[
<blockquote><div><cite>marc75 a écrit :</cite>Méfiez-vous des promos Maxishop du week-end.</div></blockquote>
Trois semaines d'attente pour un remboursement Maxishop, j'ai écrit au médiateur.
<p>Statistiques : Posté par sophie.l — 28 mars 2024, 17:05</p><hr />
]]></content>
</entry>
</feed>
"""

# A blog quoting outside text: its blockquote is the author's own choice of words, it stays.
BLOG_RSS = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"><channel><title>Le blog</title><link>https://blog.exemple.fr/</link>
<item><title>Garantie Lumino</title><link>https://blog.exemple.fr/garantie</link>
<guid>https://blog.exemple.fr/garantie</guid><pubDate>Tue, 12 Mar 2024 09:00:00 +0100</pubDate>
<description><![CDATA[<p>La garantie Lumino dit ceci :</p><blockquote><p>Deux ans, pièces et main-d'œuvre.</p></blockquote><p>Plutôt honnête.</p>]]></description>
</item></channel></rss>
"""


def test_feeds_keep_no_quoted_post(tmp_path: Path) -> None:
    from forum_crawl import EVERYTHING
    from sqlalchemy import select

    from config.settings import Settings
    from crawlers.process import CrawlJob, run_crawl
    from storage.engine import make_engine
    from storage.models import Mention, Source
    from storage.schema import upgrade
    from veille_demo.server import SiteServer

    site = tmp_path / "site"
    site.mkdir()
    for name, text in (
        ("discourse.rss", DISCOURSE_RSS), ("phpbb.xml", PHPBB_ATOM), ("blog.xml", BLOG_RSS),
    ):  # fmt: skip
        (site / name).write_text(text, encoding="utf-8")
    server = SiteServer(site).start()
    try:
        url = f"sqlite:///{tmp_path / 'feeds.db'}"
        db = make_engine(url)
        upgrade(db)
        names = ("discourse", "phpbb", "blog")
        files = ("discourse.rss", "phpbb.xml", "blog.xml")
        settings = Settings.model_validate(
            {
                "database": {"url": url},
                "brands": EVERYTHING,
                "sources": [
                    {
                        "name": n,
                        "kind": "rss",
                        "url": f"{server.base_url}/{f}",
                        "lookback_days": 5000,
                    }
                    for n, f in zip(names, files, strict=True)
                ],
                "crawl": {"download_delay": 0, "autothrottle": False, "retries": 0},
            }
        )
        now = "2024-04-01T00:00:00+00:00"
        run_crawl(settings, [CrawlJob("rss", n, {"now": now}) for n in names])
        with db.connect() as conn:
            rows = conn.execute(select(Source.name, Mention.text).join(Source)).all()
        db.dispose()
    finally:
        server.stop()
    texts = {name: text for name, text in rows}
    discourse = texts["discourse"]
    assert discourse.startswith("Je confirme pour le Wi-Fi, ça venait de la box")
    assert "Garantie commerciale de deux ans" in discourse  # the author's own quotation
    for gone in ("Chez moi le Wi-Fi décroche", "a écrit", "Lire le sujet en entier", "marc75"):
        assert gone not in discourse
    assert "Trois semaines d'attente pour un remboursement Maxishop" in texts["phpbb"]
    assert "Méfiez-vous" not in texts["phpbb"]
    assert "Deux ans, pièces et main-d'œuvre." in texts["blog"]
