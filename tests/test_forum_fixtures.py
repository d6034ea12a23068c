"""The real-forum fixtures are well formed and honest: every expected value is on its page."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from forum_fixtures import (
    FIXTURES,
    ExpectedPost,
    FixtureError,
    ForumFixture,
    all_fixtures,
    expected_files,
    load,
    pages_root,
)

from crawlers.dates import DATE_RULES

# The posts of a page, counted the simplest way each markup family allows. The spiders carry
# their own selectors; these only prove that the expected files agree with the pages.
POST_CSS = {
    "vb3": "table[id^=post]",
    "vb4": "li.postcontainer",
    "vb5": "li.b-post[data-node-publishdate]",
    "xf1": "li.message[data-author]",
    "xf2": "article.message[data-author]",
    "nodebb": "li[component=post]",
    "prosilver": "div.post[id^=p]",
    "subsilver2": "table.tablebg:has(b.postauthor)",
    "smf": "div.post_wrapper",
    "mybb": "div.post[id^=post_]",
    "ips4": "article[id^=elComment_]",
    "ips5": "article.ipsEntry",
    "flarum": "#flarum-content article",
    "discourse_html": "div.crawler-post[id^=post_]",
}
JSON_FAMILIES = {"discourse_json"}

FIXTURE_LIST = all_fixtures()
SAVED = [f for f in FIXTURE_LIST if not f.written]
WRITTEN = [f for f in FIXTURE_LIST if f.written]
RELATIVE_DAYS = ("Today", "Yesterday", "Aujourd'hui", "Hier")


def zone(offset: str) -> timezone:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_expected_file_loads_and_is_consistent() -> None:
    assert len(SAVED) >= 10 and len(WRITTEN) >= 20
    assert len({f.name for f in FIXTURE_LIST}) == len(FIXTURE_LIST)
    assert {f.language for f in FIXTURE_LIST} >= {"en", "fr"}
    # Every engine has a written page, and French ones are among them.
    assert {f.engine for f in WRITTEN} >= {
        "phpbb", "vbulletin", "xenforo", "discourse", "nodebb", "smf", "mybb", "invision",
        "flarum",
    }  # fmt: skip
    assert len({f.engine for f in WRITTEN if f.language == "fr"}) >= 6
    for fixture in FIXTURE_LIST:
        assert fixture.style_family in POST_CSS or fixture.style_family in JSON_FAMILIES, (
            fixture.name
        )
        assert fixture.source["url"].startswith("http"), fixture.name
        for number, post in enumerate(fixture.posts, start=1):
            where = f"{fixture.name} post {number}"
            assert post.date_rule in DATE_RULES
            if post.date_rule == "unix attribute":
                assert post.date_text is not None and post.published_at is not None, where
                stamp = int(post.date_text)
                seconds = stamp / 1000 if stamp > 10**11 else stamp  # NodeBB gives milliseconds
                assert datetime.fromtimestamp(seconds, UTC) == post.published_at, where
            if post.date_rule == "ISO with offset":
                assert post.date_text is not None, where
                shown = datetime.fromisoformat(post.date_text.replace("Z", "+00:00"))
                assert shown == post.published_at, where
            if post.date_rule in ("stated zone", "source timezone") and post.published_at:
                # Back in the page's zone, the UTC time must read as the page shows it.
                assert post.date_text is not None, where
                local = post.published_at.astimezone(page_zone(fixture))
                clock = {
                    local.strftime("%H:%M"), local.strftime("%I:%M"), local.strftime("%-I:%M"),
                    local.strftime("%Hh%M"),
                }  # fmt: skip
                if not post.date_text.endswith(" ago"):  # "25 minutes ago": no clock shown
                    assert any(c in post.date_text for c in clock), where
                if not any(word in post.date_text for word in (*RELATIVE_DAYS, "ago")):
                    assert str(local.year) in post.date_text, where
                    assert str(local.day) in post.date_text, where
            if post.text_snippet is None:
                assert post.note, f"{where}: a post without a text snippet must say why"
            for absent in (post.quote_absent, post.signature_absent):
                if absent is not None and post.text_snippet is not None:
                    assert absent not in post.text_snippet, where


def page_zone(fixture: ForumFixture) -> tzinfo:
    """The zone the page's shown dates are in: the one it names or states, else the source's."""
    if fixture.zone_name:
        return ZoneInfo(fixture.zone_name)
    if fixture.zone_offset:
        return zone(fixture.zone_offset)
    assert fixture.source_timezone, f"{fixture.name}: no zone to read its dates in"
    return ZoneInfo(fixture.source_timezone)


def test_a_bad_expected_file_is_named_with_its_key(tmp_path: Path) -> None:
    source = expected_files()[0]
    broken = tmp_path / "x" / "bad.expected.yaml"
    broken.parent.mkdir()
    text = source.read_text(encoding="utf-8")
    broken.write_text(re.sub(r"date_rule: .*", "date_rule: guessed", text, count=1))
    with pytest.raises(FixtureError, match=r"bad\.expected\.yaml: posts\[1\]\.date_rule"):
        load(broken, tmp_path)
    broken.write_text(text.replace("posts_count:", "posts_count: 99\nold_count:", 1))
    with pytest.raises(FixtureError, match="posts_count is 99"):
        load(broken, tmp_path)


@pytest.fixture
def pages(request: pytest.FixtureRequest) -> Path:
    """The saved pages: $VEILLE_FORUM_PAGES, else ../shared/data/forum_pages, else a skip."""
    return saved_pages(request)


def saved_pages(request: pytest.FixtureRequest) -> Path:
    root = pages_root()
    if root is None:
        shared_data = request.getfixturevalue("shared_data")
        root = pages_root(shared_data)
        if root is None:
            pytest.skip(f"no {shared_data}/forum_pages and no $VEILLE_FORUM_PAGES: pages absent")
    return root


def page_root(fixture: ForumFixture, request: pytest.FixtureRequest) -> Path | None:
    """None for a written page (it is in the repository), else the saved pages' folder."""
    return None if fixture.written else saved_pages(request)


def read_page(fixture: ForumFixture, root: Path | None) -> str:
    path = fixture.page_path(root)
    assert path.is_file(), f"{fixture.name}: page {path} is missing"
    codec = fixture.encoding.lower()
    # Browsers read pages labelled ISO-8859-1 as windows-1252, and so must we.
    codec = "cp1252" if codec in ("iso-8859-1", "latin-1", "windows-1252") else codec
    return path.read_bytes().decode(codec)


def html_posts(fixture: ForumFixture, page: str) -> tuple[str, list[str]]:
    doc = lxml.html.document_fromstring(page)
    posts = [norm(el.text_content()) for el in doc.cssselect(POST_CSS[fixture.style_family])]
    return norm(doc.text_content()), posts


def json_posts(page: str) -> tuple[str, list[dict[str, Any]]]:
    topic = json.loads(page)
    posts = topic["post_stream"]["posts"]
    texts = [
        norm(lxml.html.fragment_fromstring(p["cooked"], create_parent="div").text_content())
        for p in posts
    ]
    return topic["title"], [dict(p, text=text) for p, text in zip(posts, texts, strict=True)]


@pytest.mark.parametrize("fixture", FIXTURE_LIST, ids=lambda f: f.name)
def test_expected_values_are_on_the_page(
    fixture: ForumFixture, request: pytest.FixtureRequest
) -> None:
    page = read_page(fixture, page_root(fixture, request))
    if fixture.style_family in JSON_FAMILIES:
        check_json_topic(fixture, page)
    else:
        check_html_thread(fixture, page)


def check_json_topic(fixture: ForumFixture, page: str) -> None:
    title, found = json_posts(page)
    assert title == fixture.thread_title
    assert len(found) == len(fixture.posts)
    for number, (post, raw) in enumerate(zip(fixture.posts, found, strict=True), start=1):
        where = f"{fixture.name} post {number}"
        assert raw["username"] == post.author, where
        assert raw["created_at"] == post.date_text, where
        assert raw["post_number"] == post.post_number, where
        check_post_text(post, raw["text"], where)


def check_html_thread(fixture: ForumFixture, page: str) -> None:
    text, found = html_posts(fixture, page)
    assert len(found) == len(fixture.posts), f"{fixture.name}: posts counted on the page"
    assert norm(fixture.thread_title) in text
    if fixture.zone_statement:
        assert norm(fixture.zone_statement) in text
    if fixture.next_page:
        # Pages link to the next one relative to their <base href> or address.
        assert _path_of(fixture.next_page).rsplit("/", 1)[-1] in html.unescape(page), "next_page"
    for number, (post, post_text) in enumerate(zip(fixture.posts, found, strict=True), start=1):
        where = f"{fixture.name} post {number}"
        assert post.author in post_text, where
        if post.date_rule == "unix attribute":
            assert f'"{post.date_text}"' in page, where
        elif post.date_text:
            # Shown as text in the post, or (XenForo 1) in a title attribute of its date.
            assert (
                norm(post.date_text) in post_text
                or f'"{post.date_text}"' in page
                or f"'{post.date_text}'" in page
            ), where
        check_post_text(post, post_text, where)


def check_post_text(post: ExpectedPost, post_text: str, where: str) -> None:
    """Snippets, quotes and signatures all sit inside that post's markup on the page."""
    for label, value in (
        ("text_snippet", post.text_snippet),
        ("quote_absent", post.quote_absent),
        ("signature_absent", post.signature_absent),
        ("kept", post.kept),
    ):
        if value is not None:
            assert norm(value) in post_text, f"{where}: {label} {value!r} is not in the post"


def _path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+/", "", url)


def test_fixtures_folder_is_where_the_readme_says() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for fixture in FIXTURE_LIST:
        assert fixture.name in readme, f"{fixture.name} is missing from the README's table"


def test_written_pages_are_what_the_builder_writes(tmp_path: Path) -> None:
    """Nobody edits a written page or its expected file by hand: build.py is the source."""
    import importlib.util

    path = FIXTURES / "written" / "build.py"
    spec = importlib.util.spec_from_file_location("forum_pages_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for built in module.build(tmp_path):
        committed = FIXTURES / built.relative_to(tmp_path)
        assert committed.read_bytes() == built.read_bytes(), f"{committed} differs from build.py"
