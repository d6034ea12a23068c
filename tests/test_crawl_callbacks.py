"""Engine callbacks on saved pages (`HtmlResponse(url, body=…)`): no server, no crawl."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from build import NOW1
from scrapy.http import HtmlResponse, TextResponse

from crawlers.engines import detect_engine, html_engine
from crawlers.engines.generic import COMMON_QUOTES
from crawlers.forum import resume_url
from crawlers.posts import ThreadRow, clean_body, parse_count, quoted_post_id
from crawlers.spiders import spider_classes
from crawlers.spiders.discourse import json_url, site_root
from crawlers.spiders.reviews import find_reviews
from storage.crawl_state import ThreadState

SITES = Path(__file__).with_name("fixtures") / "sites"
CONTEXT: dict[str, Any] = {"timezone": "Europe/Paris", "now": NOW1, "remove": ()}


def saved(engine: str, name: str, url: str) -> HtmlResponse:
    return HtmlResponse(url, body=(SITES / engine / "run1" / name).read_bytes(), encoding="utf-8")


PAGES = {
    "phpbb": ("viewtopic.php__t=10", "http://f.example/viewtopic.php?t=10"),
    "vbulletin": ("showthread.php__t=10", "http://f.example/showthread.php?t=10"),
    "xenforo": (
        "threads/lumino-nova-10-vos-avis.10/index.html",
        "http://f.example/threads/lumino-nova-10-vos-avis.10/",
    ),
}


@pytest.mark.parametrize("engine", sorted(PAGES))
def test_thread_page_posts(engine: str) -> None:
    response = saved(engine, *PAGES[engine])
    assert detect_engine(response) == engine
    parser = html_engine(engine)
    assert parser.thread_title(response) == "Lumino Nova 10 : vos avis ?"
    posts = parser.posts(response, CONTEXT)
    assert [p.post_id for p in posts] == [str(1001 + i) for i in range(10)]
    first, quoting, signed = posts[0], posts[1], posts[2]
    assert first.author == "Élodie_B" and first.author_posts == 1234
    assert first.author_url and first.author_url.startswith("http://f.example/")
    assert first.url and first.url.startswith("http://f.example/") and "1001" in first.url
    assert first.published_at is not None and first.published_at.tzinfo is UTC
    assert quoting.body == "Je ne suis pas d'accord, Lumino reste meilleur."
    assert signed.body is not None and "Rivéo" not in signed.body and "blog" not in signed.body
    assert first.html and "<" in first.html  # the raw post HTML is kept for re-mapping
    assert parser.next_thread_page(response)
    assert parser.page_number(response) == 1


def test_listing_rows_have_ids_dates_and_stickies() -> None:
    response = saved("phpbb", "viewforum.php__f=2", "http://f.example/viewforum.php?f=2")
    rows = html_engine("phpbb").thread_rows(response, CONTEXT)
    assert [r.thread_id for r in rows] == ["1", "10", "18"]
    assert rows[0].sticky and not rows[1].sticky
    assert rows[1].replies == 24 and rows[1].title == "Lumino Nova 10 : vos avis ?"
    assert rows[1].last_post_at == datetime(2026, 3, 14, 11, 0, tzinfo=UTC)
    assert rows[2].url.endswith("/status/500/phpbb/viewtopic.php?t=18")


VB5 = """<html><head><meta name="generator" content="vBulletin 5.6.9"></head><body>
<h1 class="main-title">Rivéo ou Lumino ?</h1>
<ul class="conversation-list"><li class="b-post" data-node-id="555">
<div class="b-post__author"><a href="/member/7-karim">Karim</a></div>
<time itemprop="dateCreated" datetime="2026-03-14T08:00:00">14/03/2026</time>
<div class="js-post__content-text"><div class="b-post__quote">Rivéo c'est mieux</div>
J'ai pris la Lumino.<div class="signaturecontainer">Ma signature</div></div>
<a class="b-post__count" href="/forum/t/123#post555">#1</a></li></ul></body></html>"""


def test_vbulletin_5_markup() -> None:
    response = HtmlResponse("http://f.example/forum/t/123", body=VB5.encode(), encoding="utf-8")
    assert detect_engine(response) == "vbulletin"
    parser = html_engine("vbulletin")
    [post] = parser.posts(response, CONTEXT)
    assert (post.post_id, post.author, post.body) == ("555", "Karim", "J'ai pris la Lumino.")
    assert post.published_at == datetime(2026, 3, 14, 7, 0, tzinfo=UTC)  # naive: Paris time
    assert post.url == "http://f.example/forum/t/123#post555"
    assert parser.thread_title(response) == "Rivéo ou Lumino ?"


def test_detection() -> None:
    def page(html: str, headers: dict[str, str] | None = None) -> HtmlResponse:
        return HtmlResponse("http://f.example/", body=html.encode(), headers=headers)

    assert detect_engine(page('<html id="XF"><body></body></html>')) == "xenforo"
    assert detect_engine(page('<body id="phpbb"></body>')) == "phpbb"
    assert detect_engine(page("<p>x</p>", {"Set-Cookie": "phpbb3_abc_sid=1"})) == "phpbb"
    discourse = '<meta name="generator" content="Discourse 3.2.0">'
    assert detect_engine(page(discourse)) == "discourse"
    json_page = TextResponse(
        "http://f.example/latest.json",
        body=b'{"topic_list": {"topics": []}}',
        headers={"Content-Type": "application/json"},
    )
    assert detect_engine(json_page) == "discourse"
    assert detect_engine(page("<p>un blog</p>")) is None
    assert detect_engine(page("<p>x</p>"), {"post": "div.msg", "thread_links": "a"}) == "generic"


def test_generic_engine_needs_its_selectors() -> None:
    with pytest.raises(ValueError, match="needs options thread_links, post"):
        html_engine("generic", {})
    with pytest.raises(KeyError, match="known engines"):
        html_engine("ikonboard")


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Bonjour</p><blockquote><cite>X a écrit :</cite>cité</blockquote><p>fin</p>",
         "Bonjour\nfin"),
        ('<aside class="quote"><blockquote>cité</blockquote></aside>Réponse', "Réponse"),
        ('<blockquote class="postcontent restore">Le message <div class="bbcode_quote">'
         "cité</div></blockquote>", "Le message"),
        ("Texte<script>alert(1)</script><style>p{}</style><img src=x onerror=alert(2)>", "Texte"),
        ('Texte<div class="signature">— signé</div>', "Texte"),
        ("a &amp; b<br>c", "a & b\nc"),
    ],
)  # fmt: skip
def test_clean_body(markup: str, text: str) -> None:
    assert clean_body(markup, COMMON_QUOTES) == text


def test_clean_body_extra_selectors() -> None:
    assert clean_body('<div class="citation">cité</div>vrai', (".citation",)) == "vrai"


@pytest.mark.parametrize(
    ("value", "count"),
    [("1 234", 1234), ("1,234 messages", 1234), ("Messages : 87", 87), ("aucun", None)],
)
def test_parse_count(value: str, count: int | None) -> None:
    assert parse_count(value) == count


def test_discourse_urls() -> None:
    assert site_root("https://f.example/forum/c/support/5") == "https://f.example/forum/"
    assert site_root("https://f.example/latest") == "https://f.example/"
    assert json_url("https://f.example/forum/", "/forum/latest?page=2") == (
        "https://f.example/forum/latest.json?page=2"
    )


def test_reviews_in_microdata_and_json_ld_graphs() -> None:
    data = {
        "json-ld": [
            {"@context": "https://schema.org", "@graph": [
                {"@type": "Organization", "name": "Lumino",
                 "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4,1"}},
                {"@type": "Review", "reviewBody": "Top", "author": "Zoé"},
            ]},
        ],
        "microdata": [
            {"type": "https://schema.org/Product", "properties": {
                "name": "Ambra", "review": {"type": "https://schema.org/Review",
                                            "properties": {"reviewBody": "Bien"}}}},
        ],
    }  # fmt: skip
    reviews, aggregate = find_reviews(data)
    assert [(r.get("about"), r["reviewBody"]) for r in reviews] == [
        (None, "Top"),
        ("Ambra", "Bien"),
    ]
    assert aggregate["ratingValue"] == "4,1" and aggregate["about"] == "Lumino"


def test_every_spider_is_registered_with_its_metadata() -> None:
    classes = spider_classes()
    expected = {"forum", "phpbb", "vbulletin", "xenforo", "discourse", "generic", "rss", "reviews"}
    assert expected <= set(classes)
    problems = [n for n, c in classes.items() if not c.source_kind or c.name != n]
    assert problems == []


@pytest.mark.parametrize(
    ("last_page", "listed", "expected"),
    [
        # The same site: resume at the last page seen.
        ("http://f.example/t=10&start=20", "http://f.example/t=10", "http://f.example/t=10&start=20"),
        # The forum moved (https, another domain or port): the listing's link, from page 1.
        ("http://f.example/t=10&start=20", "https://f.example/t=10", "https://f.example/t=10"),
        ("http://127.0.0.1:35187/t=10&start=3", "http://127.0.0.1:33701/t=10", "http://127.0.0.1:33701/t=10"),
        (None, "http://f.example/t=10", "http://f.example/t=10"),
    ],
)  # fmt: skip
def test_a_known_thread_is_read_again_on_the_site_that_lists_it(
    last_page: str | None, listed: str, expected: str
) -> None:
    state = ThreadState("forum", "10", "http://f.example/t=10", last_page_url=last_page)
    assert resume_url(state, ThreadRow("10", listed)) == expected


def test_a_generic_forum_reads_the_post_a_quote_names_where_told() -> None:
    """`reply_to` in a generic source's options: the quoted post's link or id, read from the
    post and stored as its parent; without the option, no parent."""
    html = (
        '<div class="msg" id="m41"><span class="author">Zoé</span><div class="content">'
        "Panne depuis hier.</div></div>"
        '<div class="msg" id="m42"><span class="author">Lumino_Staff</span><div class="content">'
        '<blockquote><a class="lien" href="/sujet.php?id=7#m41">Zoé a écrit</a> Panne…'
        "</blockquote>Nous regardons.</div></div>"
    )  # fmt: skip
    response = HtmlResponse("http://f.example/sujet.php?id=7", body=html.encode(), encoding="utf-8")
    options = {"thread_links": "a", "post": "div.msg", "post_id": "::attr(id)"}
    told = html_engine("generic", {**options, "reply_to": "blockquote a.lien::attr(href)"})
    posts = told.posts(response, CONTEXT)
    assert [(p.post_id, p.reply_to, p.body) for p in posts] == [
        ("41", None, "Panne depuis hier."), ("42", "41", "Nous regardons.")
    ]  # fmt: skip
    assert [p.reply_to for p in html_engine("generic", options).posts(response, CONTEXT)] == [
        None, None
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "post_id"),
    [
        ("./viewtopic.php?p=40211#p40211", "40211"),  # phpBB 3.2+ cite
        ("40211", "40211"),  # phpBB's data-post-id, Invision's comment id, Flarum's data-id
        ("showthread.php?p=12#post12", "12"),  # vBulletin 3-5
        ("index.php?topic=3.msg45#msg45", "45"),  # SMF 2.0
        ("index.php?msg=45", "45"),  # SMF 2.1
        ("showthread.php?pid=7#pid7", "7"),  # MyBB
        ("goto/post?id=9#post-9", "9"),  # XenForo 1
        ("post: 12345", "12345"),  # XenForo 2's data-source
        ("/post/88", "88"),  # NodeBB
        ("1452-3", "1452-3"),  # Discourse: topic and post number
        ("sujet.php?id=7#m41", "41"),  # a generic forum: the anchor, not the thread's id
        ("-", None),  # a Discourse quote naming no post
        ("./memberlist.php?mode=viewprofile&u=14", None),  # a profile link names no post
    ],
)  # fmt: skip
def test_the_post_a_quote_names(value: str, post_id: str | None) -> None:
    assert quoted_post_id(value) == post_id
