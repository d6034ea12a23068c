"""vBulletin 3 (table#postN), 4 (li.postcontainer) and 5 (li.b-post, exact Unix times)."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine, listed_threads
from crawlers.engines.phpbb import query_param
from crawlers.posts import ForumPost, Markup, ThreadRow, first_of, parse_count

_THREAD_ID = re.compile(r"(?:[?&]t=|/)(\d+)(?:[-/&#]|$)")
_PAGE = re.compile(r"(?:[?&]page=|/page)(\d+)")
_PAGE_SUFFIX = re.compile(r"\s+-\s+(?:Page|page)\s+\d+$")
_POSTS_LABEL = "contains(., 'Posts') or contains(., 'Messages')"

# vBulletin 3: a table per post; the date is the text of its first td.thead; quotes are
# bare divs holding a div.smallfont "Quote:" and a table.
VB3 = Markup(
    "vb3",
    post="table[id^=post]",
    fields={
        "post_id": ("::attr(id)",),
        "url": ("a[id^=postlink]::attr(href)",),
        "author": (
            "a.bigusername ::text",
            "./descendant::*[contains(@class, 'bigusername')]//text()[normalize-space()]",
        ),
        "author_url": ("a.bigusername::attr(href)",),
        "author_posts": (
            "./descendant::div/text()[starts-with(normalize-space(), 'Posts')"
            " or starts-with(normalize-space(), 'Messages')]",
        ),
        "date_text": ("normalize-space((./descendant::td[contains(@class, 'thead')])[1])",),
        "body": ("div[id^=post_message_]",),
        "reply_to": ("div[id^=post_message_] td.alt2 a[href*='p=']::attr(href)",),
    },
    quotes=(
        "./descendant::div[div[contains(@class, 'smallfont')]][table]",
        ".bbcode_container",
    ),
)

VB4 = Markup(
    "vb4",
    post="li.postcontainer",
    fields={
        "post_id": ("::attr(id)",),
        "url": ("a.postcounter::attr(href)",),
        "author": (
            "a.username strong::text",
            "a.username::text",
            ".username_container .username ::text",
        ),
        "author_url": ("a.username::attr(href)",),
        "author_posts": (
            f"./descendant::dl[contains(@class, 'userinfo_extra')]/dt[{_POSTS_LABEL}]"
            "/following-sibling::dd[1]/text()",
        ),
        "iso_time": ("span.postdate time::attr(datetime)",),
        "date_text": ("normalize-space(./descendant::span[contains(@class, 'postdate')])",),
        "body": ("div[id^=post_message_]",),
        "reply_to": (".bbcode_postedby a[href*='p=']::attr(href)",),
    },
    quotes=(".bbcode_container", ".bbcode_quote", ".signaturecontainer", "blockquote.signature"),
)

# vBulletin 5: every post carries its exact Unix time; time[itemprop=dateCreated]@datetime
# is a server-local time without offset (read only as a last resort, like shown text).
VB5 = Markup(
    "vb5",
    post="li.b-post[data-node-id]",
    fields={
        "post_id": ("::attr(data-node-id)",),
        "url": ("a.b-post__count::attr(href)",),
        "author": (
            ".author [itemprop=name]::text",
            ".b-userinfo__details .author a ::text",
            ".author a ::text",
            ".b-post__author a ::text",
        ),
        "author_url": (".author a::attr(href)", ".b-post__author a::attr(href)"),
        "author_posts": (
            "./descendant::li[contains(@class, 'b-userinfo__additional-info')]"
            f"[label[{_POSTS_LABEL}]]/span/text()",
        ),
        "unix_time": ("::attr(data-node-publishdate)",),
        "iso_time": ("time[itemprop=dateCreated]::attr(datetime)",),
        "date_text": ("time[itemprop=dateCreated]::text",),
        "body": (".js-post__content-text",),
        "reply_to": (".bbcode_postedby a[href*='p=']::attr(href)",),
    },
    quotes=(
        ".bbcode_container",
        ".b-post__quote",
        ".signaturecontainer",
        ".b-post__signature",
        ".js-post__signature",
    ),
)


class VBulletinEngine(HtmlEngine):
    name = "vbulletin"
    order = 30
    clues = (
        "meta generator 'vBulletin', html#vbulletin_html, style#vbulletin_css, vbulletin_ scripts"
    )
    markups = (VB5, VB4, VB3)

    def detect(self, response: TextResponse) -> bool:
        generator = response.css('meta[name="generator"]::attr(content)').get() or ""
        return bool(
            response.css("html#vbulletin_html, style#vbulletin_css, script[src*=vbulletin_]")
            or "vbulletin" in generator.lower()
        )

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css("h2.forumtitle a::attr(href), a.forum-title::attr(href)").getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for li, link, url, thread_id in listed_threads(
            response,
            "li.threadbit, tr.topic-item",
            "a.title, a.topic-title",
            lambda url: query_param(url, "t") or _thread_id(url),
        ):
            date = li.css(".threadlastpost time::attr(datetime), .lastpost-date::attr(datetime)")
            date_text = date.get() or " ".join(
                t.strip() for t in li.css("dl.threadlastpost dd:last-child ::text").getall()
            )
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=link.css("::text").get(),
                    last_post_at=parse_date(date_text, context["timezone"], context["now"]),
                    replies=parse_count(li.css("ul.threadstats li:first-child ::text").get()),
                    sticky="sticky" in li.attrib.get("class", ""),
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return response.css("a[rel=next]::attr(href)").get()

    def thread_title(self, response: TextResponse) -> str | None:
        found = first_of(
            response,
            "span.threadtitle a::text",
            "h1.main-title::text",
            "h2.b-post__title::text",
            "//meta[@name='og:title' or @property='og:title']/@content",
        )
        if found:
            return found
        if response.css("td.navbar strong"):  # vBulletin 3: "Title - Page 2 - Site"
            title = (response.css("title::text").get() or "").strip()
            title = title.rsplit(" - ", 1)[0] if " - " in title else title
            return _PAGE_SUFFIX.sub("", title).strip() or None
        return None

    def finish(self, response: TextResponse, post: ForumPost) -> None:
        if not post.url and post.post_id:
            post.url = f"showthread.php?p={post.post_id}#post{post.post_id}"
        super().finish(response, post)

    def page_number(self, response: TextResponse) -> int:
        match = _PAGE.search(response.url)
        return int(match.group(1)) if match else 1

    def thread_id(self, response: TextResponse) -> str:
        return (
            query_param(response.url, "t")
            or _thread_id(response.url)
            or response.css("input[name=t]::attr(value)").get()
            or super().thread_id(response)
        )


def _thread_id(url: str) -> str | None:
    match = _THREAD_ID.search(url.split("?", 1)[0] + "/")
    return match.group(1) if match else None
