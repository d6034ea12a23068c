"""XenForo 2: /forums/… listings, /threads/slug.ID/page-N threads."""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.engines.base import HtmlEngine
from crawlers.posts import ForumPost, ThreadRow, load_post, parse_count

_THREAD_ID = re.compile(r"/threads/(?:[^/]*\.)?(\d+)/?")


class XenForoEngine(HtmlEngine):
    name = "xenforo"
    order = 20

    def detect(self, response: TextResponse) -> bool:
        return response.css("html::attr(id)").get() == "XF"

    def forum_links(self, response: TextResponse) -> list[str]:
        return response.css(".node-title a::attr(href)").getall()

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for item in response.css(".structItem--thread"):
            link = (
                item.css(".structItem-title a[data-tp-primary]")
                or item.css(".structItem-title a")[-1:]
            )
            href = link.attrib.get("href") if link else None
            if not href:
                continue
            url = response.urljoin(href)
            match = _THREAD_ID.search(url)
            if not match:
                continue
            latest = item.css(".structItem-latestDate")
            date = latest.attrib.get("datetime") or latest.attrib.get("data-time") or ""
            rows.append(
                ThreadRow(
                    thread_id=match.group(1),
                    url=url,
                    title=link.css("::text").get(),
                    last_post_at=parse_date(date, context["timezone"], context["now"]),
                    replies=parse_count(item.css(".structItem-cell--meta dd::text").get()),
                    sticky="structItem--sticky" in item.attrib.get("class", ""),
                )
            )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return response.css("a.pageNav-jump--next::attr(href)").get()

    def thread_title(self, response: TextResponse) -> str | None:
        return " ".join(response.css("h1.p-title-value::text").getall()).strip() or None

    def posts(self, response: TextResponse, context: dict[str, Any]) -> list[ForumPost]:
        posts = []
        for article in response.css("article.message[id^=js-post-]"):
            post = load_post(
                article,
                context,
                {
                    "post_id": ["::attr(id)"],
                    "author": ["::attr(data-author)", "h4.message-name a::text"],
                    "author_url": ["h4.message-name a[data-user-id]::attr(href)"],
                    "author_posts": [
                        ".message-userExtras dl:first-child dd::text",
                        ".message-userExtras dd::text",
                    ],
                    "published_at": [
                        ".message-attribution-main time::attr(datetime)",
                        ".message-attribution-main time::attr(data-time)",
                    ],
                    "date_text": [".message-attribution-main time::text"],
                    "body": ["article.message-body div.bbWrapper", "div.bbWrapper"],
                    "likes": [".reactionsBar-link bdi::text"],
                },
            )
            permalink = article.css(".message-attribution-main a::attr(href)").get()
            if permalink:
                post.url = response.urljoin(permalink)
            if post.author_url:
                post.author_url = response.urljoin(post.author_url)
            posts.append(post)
        return posts

    def page_number(self, response: TextResponse) -> int:
        current = response.css(".pageNav-page--current a::text").get()
        return parse_count(current) or 1
