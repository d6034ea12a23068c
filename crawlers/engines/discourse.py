"""Discourse: recognised from its first page; crawled through its JSON API by its own spider,
or read from the crawler view (`/t/slug/ID` without JavaScript) with `options: {html: true}`."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine, listed_threads
from crawlers.posts import ForumPost, Markup, ThreadRow, first_of, parse_count

# Quoted posts (`aside.quote`) and link previews (`aside.onebox`: the linked page's words);
# a markdown blockquote is the author's own quotation of outside text and stays.
QUOTES = ("aside.quote", "aside.onebox")
_POST_NUMBER = re.compile(r"(/t/[^/]+/\d+)/\d+/?$")
_TOPIC = re.compile(r"/t/(?:[^/]+/)?(\d+)(?:/\d+)?/?(?:\?|$)")

# The crawler view: div.crawler-post (Discourse 2.x–3.x), or the older itemscope blocks.
_FIELDS = {
    "post_id": ("::attr(id)", "[itemprop=position]::text"),
    "author": (
        ".creator [itemprop=name]::text",
        ".creator b[itemprop=author]::text",
        ".creator a ::text",
    ),
    "author_url": (".creator a::attr(href)",),
    "iso_time": (
        "time.post-time::attr(datetime)",
        "time[itemprop=datePublished]::attr(datetime)",
    ),
    "date_text": ("time::text",),
    "body": ("div.post[itemprop]", "div.post"),
    # the quoted post as this engine stores it (finish): `{topic}-{number}`
    "reply_to": (
        "concat((./descendant::aside[contains(@class, 'quote')][@data-post][@data-topic])[1]"
        "/@data-topic, '-', (./descendant::aside[contains(@class, 'quote')][@data-post]"
        "[@data-topic])[1]/@data-post)",
    ),
    "likes": (
        "[itemprop=interactionStatistic] meta[itemprop=userInteractionCount]::attr(content)",
        "span.post-likes::text",
    ),
}
# (the page's navigation block is a div.crawler-post too, with role=navigation)
CRAWLER = Markup("discourse-crawler", "div.crawler-post:not([role])", _FIELDS, QUOTES)
CRAWLER_OLD = Markup(
    "discourse-crawler-2017", "div[itemtype$='DiscussionForumPosting']", _FIELDS, QUOTES
)


class DiscourseEngine(HtmlEngine):
    """The forum spider hands a Discourse site to its JSON API flow; the HTML markup is read
    when a source asks for it (`options: {html: true}`) and by `veille crawl --probe`."""

    name = "discourse"
    order = 10  # a JSON answer or Discourse's meta tags are unambiguous: asked first
    clues = (
        "meta generator 'Discourse', meta discourse_theme_id, #data-discourse-setup, "
        "topic_list JSON"
    )
    markups = (CRAWLER, CRAWLER_OLD)

    def detect(self, response: TextResponse) -> bool:
        return is_discourse(response)

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for tr, link, url, thread_id in listed_threads(
            response,
            "tr.topic-list-item, div.topic-list-item",
            "a.title, a.raw-topic-link",
            _TOPIC,
        ):
            date = tr.css("td.age::attr(title), .activity::attr(title)").get()
            rows.append(
                ThreadRow(
                    thread_id=thread_id,
                    url=url,
                    title=(link.css("::text").get() or "").strip() or None,
                    last_post_at=parse_date(date, context["timezone"], context["now"]),
                    replies=parse_count(tr.css("td.replies span::text").get()),
                    sticky="pinned" in tr.attrib.get("class", ""),
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return first_of(response, "a[rel=next]::attr(href)", "link[rel=next]::attr(href)")

    def thread_title(self, response: TextResponse) -> str | None:
        return first_of(response, "#topic-title h1 a::text", "h1 a::text", "h1::text")

    def finish(self, response: TextResponse, post: ForumPost) -> None:
        super().finish(response, post)
        if post.post_id:  # the crawler view numbers posts within the topic
            number = post.post_id
            post.extra["post_number"] = int(number) if number.isdigit() else number
            post.post_id = f"{self.thread_id(response)}-{number}"
            topic = _POST_NUMBER.sub(r"\1", response.url.split("?", 1)[0].split("#", 1)[0])
            post.url = f"{topic.rstrip('/')}/{number}"

    def page_number(self, response: TextResponse) -> int:
        match = re.search(r"[?&]page=(\d+)", response.url)
        return int(match.group(1)) if match else 1

    def thread_id(self, response: TextResponse) -> str:
        match = _TOPIC.search(response.url)
        return match.group(1) if match else super().thread_id(response)


def is_discourse(response: TextResponse) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    if "json" in content_type:
        return b'"topic_list"' in response.body or b'"post_stream"' in response.body
    generator = " ".join(response.css('meta[name="generator"]::attr(content)').getall())
    return "discourse" in generator.lower() or bool(
        response.css(
            'meta[name="discourse_theme_id"], meta[name="discourse_current_homepage"], '
            "#data-discourse-setup, [data-discourse-setup]"
        )
    )
