"""Flarum: /d/ID-slug; the posts of the page are in its JSON payload (exact ISO times) and,
for visitors without JavaScript, in <noscript id="flarum-content"> (no dates)."""

from __future__ import annotations

import json
import re
from typing import Any

from parsel import Selector
from scrapy.http import TextResponse

from crawlers.dates import ISO_WITH_OFFSET, parse_date
from crawlers.engines.base import HtmlEngine
from crawlers.posts import (
    ForumPost,
    Markup,
    PageReading,
    ThreadRow,
    clean_body,
    first_of,
    quoted_post_id,
)

_DISCUSSION = re.compile(r"/d/(\d+)")
# Quote-replies are "<a class=PostMention>name</a> wrote:" then a blockquote.
QUOTES = (
    "blockquote",
    "./descendant::p[following-sibling::*[1][self::blockquote]]"
    "[a[contains(@class, 'PostMention')]]",
)
PAYLOAD = "script#flarum-json-payload::text"
# A reply names the post it answers: <a class="PostMention" data-id="POST ID">.
_MENTIONED = "a.PostMention::attr(data-id)"

NOSCRIPT = Markup(
    "flarum-noscript",
    post="#flarum-content article",
    fields={
        "author": (".PostUser-name ::text",),
        "body": (".Post-body",),
        "reply_to": (_MENTIONED,),
    },
    quotes=QUOTES,
)


class FlarumEngine(HtmlEngine):
    name = "flarum"
    order = 12
    clues = "#flarum-loading, script#flarum-json-payload, noscript#flarum-content"
    markups = (NOSCRIPT,)

    def detect(self, response: TextResponse) -> bool:
        return bool(response.css("#flarum-loading, #flarum-json-payload, #flarum-content"))

    def read(self, response: TextResponse, context: dict[str, Any]) -> PageReading:
        document = _api_document(response)
        if document is None:
            return super().read(response, context)
        included = {(i.get("type"), str(i.get("id"))): i for i in document.get("included", [])}
        discussion = document.get("data") or {}
        remove = (*QUOTES, *context.get("remove", ()))
        posts = []
        for ref in discussion.get("relationships", {}).get("posts", {}).get("data") or []:
            item = included.get(("posts", str(ref.get("id"))))
            if not item:
                continue
            attrs = item.get("attributes", {})
            if attrs.get("contentType") != "comment" or attrs.get("isHidden"):
                continue
            user_ref = (item.get("relationships", {}).get("user", {}) or {}).get("data") or {}
            user = included.get(("users", str(user_ref.get("id")))) or {}
            uattrs = user.get("attributes", {})
            number = attrs.get("number")
            created = attrs.get("createdAt")
            slug = uattrs.get("slug") or uattrs.get("username")
            content = attrs.get("contentHtml") or ""
            mentioned = Selector(text=content).css(_MENTIONED).get() if content else None
            post = ForumPost(
                post_id=str(item.get("id")),
                url=response.urljoin(f"/d/{discussion.get('id')}/{number}"),
                author=uattrs.get("displayName") or uattrs.get("username"),
                author_url=response.urljoin(f"/u/{slug}") if slug else None,
                author_posts=uattrs.get("commentCount"),
                published_at=parse_date(created),
                date_text=created,
                date_rule=ISO_WITH_OFFSET if created else None,
                body=clean_body(content, remove),
                reply_to=quoted_post_id(mentioned) if mentioned else None,
                html=attrs.get("contentHtml"),
                extra={"markup": "flarum-payload", "post_number": number},
            )
            posts.append(post)
        used = {
            "author": {"payload: users[].displayName": sum(1 for p in posts if p.author)},
            "iso_time": {"payload: posts[].createdAt": sum(1 for p in posts if p.date_text)},
            "body": {"payload: posts[].contentHtml": len(posts)},
        }
        return PageReading("flarum-payload", posts, used, [])

    def thread_rows(self, response: TextResponse, context: dict[str, Any]) -> list[ThreadRow]:
        rows = []
        for link in response.css("#flarum-content li a[href*='/d/']"):
            href = link.attrib.get("href") or ""
            match = _DISCUSSION.search(href)
            if match:
                rows.append(
                    ThreadRow(
                        thread_id=match.group(1),
                        url=response.urljoin(href),
                        title=(link.css("::text").get() or "").strip() or None,
                    )
                )
        return rows

    def next_listing(self, response: TextResponse) -> str | None:
        return first_of(
            response,
            "link[rel=next]::attr(href)",
            "//noscript[@id='flarum-content']//a[contains(@href, 'page=')][contains(., '»')]/@href",
        )

    def thread_title(self, response: TextResponse) -> str | None:
        document = _api_document(response)
        title = ((document or {}).get("data") or {}).get("attributes", {}).get("title")
        return title or (response.css("#flarum-content h1::text").get() or "").strip() or None

    def page_number(self, response: TextResponse) -> int:
        match = re.search(r"[?&]page=(\d+)", response.url)
        return int(match.group(1)) if match else 1

    def thread_id(self, response: TextResponse) -> str:
        match = _DISCUSSION.search(response.url)
        return match.group(1) if match else super().thread_id(response)


def _api_document(response: TextResponse) -> dict[str, Any] | None:
    raw = response.css(PAYLOAD).get()
    if not raw:
        return None
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    document = payload.get("apiDocument") if isinstance(payload, dict) else None
    return document if isinstance(document, dict) else None
