"""RSS 2.0 and Atom feeds (blogs, news, forum feeds), with RFC 5005 `rel=next` paging."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from parsel import Selector
from scrapy.http import Response, TextResponse

from crawlers.dates import parse_date
from crawlers.engines import quoted_blocks
from crawlers.posts import clean_body
from crawlers.spiders.base import SourceSpider
from crawlers.text import html_to_text
from storage.records import AuthorRecord, MentionRecord


def discourse_item_body(markup: str) -> str:
    """A Discourse feed item's own post: its RSS wraps the cooked post in
    "<p>@name wrote:</p><blockquote>…</blockquote><p><a>Read full topic</a></p>"."""
    sel = Selector(text=markup)
    top = sel.xpath("/html/body/*")
    wrapped = len(top) >= 2 and top[0].root.tag == "p" and top[1].root.tag == "blockquote"
    if wrapped and (
        top[0].css("a[href*='/u/'], a[href*='/users/']")
        or "@" in "".join(top[0].css("::text").getall())
    ):
        return "".join(top[1].xpath("node()").getall())
    return markup


class FeedSpider(SourceSpider):
    """An RSS or Atom feed; quoted posts and signatures of forum feeds are not the entry's text
    (Discourse, phpBB, XenForo… feeds carry their posts' quote markup)."""

    name = "rss"
    source_kind = "rss"
    quotes: tuple[str, ...] = ()

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.logger.error("%s: %s is not a feed", self.source.name, response.url)
            return
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("veille/pages")
        sel = Selector(text=response.text, type="xml")
        sel.remove_namespaces()
        entries = sel.xpath("//channel/item | /feed/entry")
        if not entries and not sel.xpath("/rss | /feed | /RDF"):
            self.logger.error("%s: %s is neither RSS nor Atom", self.source.name, response.url)
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("veille/errors")
            return
        broken = _not_well_formed(response.body)
        if broken is not None:
            self.report_error(
                f"{self.source.name}: the feed {response.url} is not well-formed XML ({broken}): "
                "cut short or corrupt; only its complete entries were kept"
            )
        cutoff = self.now - timedelta(days=self.source.lookback_days)
        too_old = False
        self.quotes = self.quotes or (*quoted_blocks(), *self.source.options.get("remove", ()))
        discourse = bool(
            sel.xpath("//generator[contains(., 'Discourse')] | //source[contains(@url, '/t/')]")
            or b"discourse.org" in response.body[:3000]
        )
        for entry in entries:
            mention = self.entry_mention(entry, response, discourse)
            if broken is not None and not mention.text.strip():
                continue  # an entry cut short by the broken end of the feed
            if mention.published_at is not None and mention.published_at < cutoff:
                too_old = True
                continue
            yield mention
        next_url = sel.xpath("/feed/link[@rel='next']/@href | //channel/link[@rel='next']/@href")
        href = next_url.get()
        if href and not too_old:
            yield response.follow(href, callback=self.parse)

    def entry_mention(
        self, entry: Selector, response: TextResponse, discourse: bool = False
    ) -> MentionRecord:
        def first(*queries: str) -> str | None:
            for query in queries:
                value = entry.xpath(query).get()
                if value and value.strip():
                    return value.strip()
            return None

        link = first("link[not(@rel) or @rel='alternate']/@href", "link/text()", "guid/text()")
        link = response.urljoin(link) if link else None
        guid = first("guid/text()", "id/text()") or link
        body = first("encoded/text()", "content/text()", "description/text()", "summary/text()")
        title = first("title/text()")
        date_text = first("pubDate/text()", "published/text()", "updated/text()", "date/text()")
        author = first("author/name/text()", "creator/text()", "author/text()")
        raw = {
            "guid": guid,
            "link": link,
            "title": title,
            "published": date_text,
            "author": author,
            "author_uri": first("author/uri/text()"),
            "categories": entry.xpath("category/text() | category/@term").getall(),
            "comments": first("comments/text()"),
            "body": body,
        }
        if not guid:
            guid = hashlib.sha1(f"{title}|{date_text}|{body}".encode()).hexdigest()
        own = discourse_item_body(body) if body and discourse else body
        return self.mention(
            external_id=guid,
            text=clean_body(own or "", self.quotes)
            if own and "<" in own
            else html_to_text(own or ""),
            title=html_to_text(title) if title else None,
            url=link,
            published_at=parse_date(date_text, self.source.timezone, self.now),
            comments=_int(first("comments/text()")),
            author=AuthorRecord(handle=author, name=author, profile_url=first("author/uri/text()"))
            if author
            else None,
            raw=raw,
        )


def _not_well_formed(body: bytes) -> str | None:
    """Why the feed is not well-formed XML (lxml's strict parser), or None. Entities are not
    resolved and nothing is fetched: a feed is hostile input."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        return f"{exc.msg}, line {exc.lineno}" if exc.lineno else str(exc.msg)
    return None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None
