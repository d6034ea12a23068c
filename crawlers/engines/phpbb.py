"""phpBB 3.0–3.3: prosilver and its children, subsilver2; viewforum/viewtopic (or SEO URLs)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine
from crawlers.posts import ForumPost, Markup, ThreadRow, first_of, parse_count

_SEO_TOPIC = re.compile(r"-t(\d+)(?:-\d+)?\.html")  # phpBB SEO: episode-10-justice-t76-10.html


def query_param(url: str, name: str) -> str | None:
    values = parse_qs(urlparse(url).query).get(name)
    return values[0] if values else None


# prosilver and styles built on it (3.0 to 3.3): div.post#pN, p.author, div.content.
PROSILVER = Markup(
    "prosilver",
    post="div.post[id^=p]",
    fields={
        "post_id": ("::attr(id)",),
        "author": (
            "p.author a.username::text",
            "p.author a.username-coloured::text",
            "dl.postprofile dt a.username::text",
            "dl.postprofile dt a.username-coloured::text",
            "p.author strong a::text",  # 3.0: "by <strong><a …>name</a></strong>"
            "dl.postprofile dt a::text",
            "p.author strong::text",  # a guest's name
        ),
        "author_url": (
            "dl.postprofile dt a[href*='viewprofile']::attr(href)",
            "p.author a[href*='viewprofile']::attr(href)",
            "p.author strong a::attr(href)",
        ),
        "author_posts": (
            "dd.profile-posts a::text",
            "dd.profile-posts::text",
            "./descendant::dl[contains(@class, 'postprofile')]/dd[strong[contains(., 'Posts')"
            " or contains(., 'Messages')]]/text()",
        ),
        "iso_time": ("p.author time::attr(datetime)",),
        "date_text": (
            "p.author time::text",
            "./descendant::p[contains(@class, 'author')]/text()[normalize-space()][last()]",
        ),
        "body": ("div.content",),
        # 3.2+: a quote names its post (3.0 and 3.1 quotes name only the author)
        "reply_to": (
            "div.content blockquote cite a[data-post-id]::attr(data-post-id)",
            "div.content blockquote[cite]::attr(cite)",
        ),
    },
    quotes=("blockquote", ".signature"),  # phpBB makes every blockquote of a [quote]
)

# subsilver2 (3.0) and styles built on it: one table.tablebg per post, b.postauthor.
SUBSILVER2 = Markup(
    "subsilver2",
    post="//table[contains(@class, 'tablebg')][.//b[contains(@class, 'postauthor')]]",
    fields={
        "post_id": ("./descendant::a[starts-with(@name, 'p')]/@name",),
        "author": ("b.postauthor::text",),
        "author_url": (
            "a[href*='mode=viewprofile']::attr(href)",
            "./descendant::div[contains(@class, 'gensmall')]/a[img[contains(@src, 'profile')]]"
            "/@href",
        ),
        "author_posts": (
            "./descendant::span[contains(@class, 'postdetails')]/b[contains(., 'Messages')"
            " or contains(., 'Posts')]/following-sibling::text()[1]",
        ),
        "date_text": (
            "./descendant::div[b[contains(., 'Posté') or contains(., 'Posted')]]"
            "/text()[normalize-space()][last()]",
        ),
        "body": ("div.postbody",),  # the signature is a span.postbody: not taken
    },
    quotes=("div.quotetitle", "div.quotecontent", "blockquote"),
)


class PhpbbEngine(HtmlEngine):
    name = "phpbb"
    order = 40
    clues = (
        "body#phpbb, meta copyright 'phpBB', a phpbb cookie, a 'Powered by phpBB' link, "
        "subsilver2's b.postauthor"
    )
    markups = (PROSILVER, SUBSILVER2)

    def detect(self, response: TextResponse) -> bool:
        body_id = response.css("body::attr(id)").get() or ""
        copyright_ = response.css('meta[name="copyright"]::attr(content)').get() or ""
        cookies = b" ".join(response.headers.getlist(b"Set-Cookie"))
        return (
            "phpbb" in body_id.lower()
            or "phpbb" in copyright_.lower()
            or b"phpbb" in cookies
            or bool(response.css("a[href*='www.phpbb.com'], b.postauthor"))
        )

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css("a.forumtitle::attr(href), a.forumlink::attr(href)").getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for li in response.css("ul.topiclist.topics > li.row"):
            href = li.css("a.topictitle::attr(href)").get()
            if not href:
                continue
            url = response.urljoin(href)
            thread_id = _topic_id(url)
            if thread_id is None:
                continue
            date = li.css("dd.lastpost time::attr(datetime)").get() or " ".join(
                li.css("dd.lastpost span::text").getall()
            )
            classes = li.attrib.get("class", "")
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=li.css("a.topictitle::text").get(),
                    last_post_at=parse_date(date, context["timezone"], context["now"]),
                    replies=parse_count(li.css("dd.posts::text").get()),
                    sticky="sticky" in classes or "announce" in classes,
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return first_of(
            response,
            ".pagination a[rel=next]::attr(href)",  # 3.1+
            ".pagination li.next a::attr(href)",
            "fieldset.display-options a.right-box::attr(href)",  # 3.0 prosilver "Next"
            # 3.0 pages: the link after the current page's <strong>
            "(//div[contains(@class, 'pagination')]//strong[not(*)]"
            "/following-sibling::a[1]/@href)[1]",
            "(//td[contains(@class, 'gensmall')]//a[normalize-space() = 'Suivante'"
            " or normalize-space() = 'Next']/@href)[1]",  # subsilver2
        )

    def thread_title(self, response: TextResponse) -> str | None:
        return first_of(
            response,
            "h2.topic-title a::text",
            "h2.topic-title::text",
            "#pageheader h2 a::text",  # subsilver2
            "#page-body > h2 a::text",  # 3.0 prosilver
        )

    def finish(self, response: TextResponse, post: ForumPost) -> None:
        if post.post_id:
            post.url = f"./viewtopic.php?p={post.post_id}#p{post.post_id}"
        super().finish(response, post)

    def page_number(self, response: TextResponse) -> int:
        current = response.css(".pagination li.active span::text, .pagination strong::text").get()
        return parse_count(current) or 1

    def thread_id(self, response: TextResponse) -> str:
        found = _topic_id(response.url) or response.css(
            "input[name=t]::attr(value), h2 a[href*='t=']::attr(href)"
        ).re_first(r"(?:t=)?(\d+)")
        return found or super().thread_id(response)


def _topic_id(url: str) -> str | None:
    found = query_param(url, "t")
    if found:
        return found
    match = _SEO_TOPIC.search(url)
    return match.group(1) if match else None
