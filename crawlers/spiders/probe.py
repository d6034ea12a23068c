"""`veille crawl --probe URL`: what the crawler reads on a forum before it is configured.

The probe fetches the page, asks every engine whether it recognises it, then reads the first
thread (the page itself when it is a thread page, else the first thread its listing shows):
how many posts, authors and dates it finds, which rule dated them, the zone the page states,
and the selectors that answered. It stores nothing; its findings travel back in the crawl
stats (`veille/probe`). An unknown engine is said so, with every engine's clues it tried
and what each engine's markups find on the page anyway.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawlers.engines import ENGINES, HtmlEngine, html_engine
from crawlers.engines.discourse import QUOTES
from crawlers.forum import ForumSpider
from crawlers.posts import PageReading, ThreadRow, clean_body
from crawlers.spiders.discourse import json_url, site_root

SAMPLE = 3  # posts shown as examples


class ProbeSpider(ForumSpider):
    """Reads one forum page and its first thread; yields no item."""

    name = "probe"
    source_kind = "forum"

    def first_requests(self) -> list[Request]:
        return [Request(str(self.source.url), callback=self.probe_first, dont_filter=True)]

    def load_states(self) -> None:  # a probe needs no thread state (nor a database)
        self.states = {}

    def report(self, **fields: Any) -> None:
        found = (
            dict(self.crawler.stats.get_value("veille/probe") or {}) if self.crawler.stats else {}
        )
        found.update(fields)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("veille/probe", found)

    def probe_first(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.report(url=response.url, error=f"not a text page ({response.status})")
            return
        self.count("pages")
        tried: list[dict[str, Any]] = []
        for engine_name, cls in ENGINES.items():
            matched = cls(self.source.options).detect(response)
            tried.append({"engine": engine_name, "clues": cls.clues, "matched": matched})
        wanted = self.source.engine
        detected: str | None = next((t["engine"] for t in tried if t["matched"]), None)
        name = detected if wanted == "auto" else wanted
        self.report(url=response.url, status=response.status, detected=detected, tried=tried)
        if name is None:
            self.report(engine=None, markups=self.markups_anyway(response))
            return
        if name == "discourse" and not self.source.options.get("html"):
            self.report(engine=name, api="json")
            root = site_root(response.url)
            yield Request(json_url(root, "latest"), callback=self.probe_latest, dont_filter=True)
            return
        self.engine = html_engine(name, self.source.options)
        self.report(engine=name)
        reading = self.engine.read(response, self.loader_context)
        if reading.posts:
            yield from self.describe(response, reading)
            return
        rows = [r for r in self.engine.thread_rows(response, self.loader_context) if not r.sticky]
        rows = rows or self.engine.thread_rows(response, self.loader_context)
        forums = self.engine.forum_links(response)
        self.report(listing={"threads": len(rows), "forums": len(forums)})
        if rows:
            yield Request(rows[0].url, callback=self.probe_thread, dont_filter=True)
        elif forums:
            yield response.follow(forums[0], callback=self.probe_first, dont_filter=True)
        else:
            self.report(markups=self.markups_anyway(response))

    def markups_anyway(self, response: TextResponse) -> list[dict[str, Any]]:
        """What every HTML engine's markups read on the page, detected or not."""
        out = []
        for name, cls in ENGINES.items():
            if not issubclass(cls, HtmlEngine) or not cls.markups:
                continue
            reading = cls(self.source.options).read(response, self.loader_context)
            out.append(
                {
                    "engine": name,
                    "markups": [m.name for m in cls.markups],
                    "posts": len(reading.posts),
                    "authors": reading.found("author"),
                }
            )
        return out

    def probe_thread(self, response: Response) -> Iterator[Any]:
        assert self.engine is not None and isinstance(response, TextResponse)
        self.count("pages")
        yield from self.describe(response, self.engine.read(response, self.loader_context))

    def describe(self, response: TextResponse, reading: PageReading) -> Iterator[Any]:
        assert self.engine is not None
        posts = reading.posts
        zone = self.engine.stated_zone(response)
        next_page = self.engine.next_thread_page(response)
        self.report(
            thread={
                "url": response.url,
                "title": self.engine.thread_title(response),
                "markup": reading.markup,
                "markups_without_posts": reading.tried,
                "posts": len(posts),
                "authors": sum(1 for p in posts if p.author),
                "dates": sum(1 for p in posts if p.published_at),
                "texts": sum(1 for p in posts if p.body),
                "date_rules": dict(Counter(p.date_rule or "none" for p in posts)),
                "zone": str(zone) if zone is not None else None,
                "next_page": response.urljoin(next_page) if next_page else None,
                "selectors": reading.selectors,
                "sample": [
                    {
                        "author": p.author,
                        "published_at": p.published_at.isoformat() if p.published_at else None,
                        "text": (p.body or "")[:80],
                    }
                    for p in posts[:SAMPLE]
                ],
            }
        )
        return iter(())

    def probe_latest(self, response: Response) -> Iterator[Any]:
        self.count("pages")
        try:
            topics = json.loads(response.text).get("topic_list", {}).get("topics", [])
        except ValueError:
            self.report(error=f"{response.url} is not Discourse's JSON")
            return
        self.report(listing={"threads": len(topics), "forums": 0})
        if topics:
            root = site_root(str(self.source.url))
            topic = topics[0]
            row = ThreadRow(thread_id=str(topic["id"]), url=f"{root}t/{topic['id']}")
            yield Request(
                f"{root}t/{topic['id']}.json",
                callback=self.probe_topic,
                cb_kwargs={"row": row},
                dont_filter=True,
            )

    def probe_topic(self, response: Response, row: ThreadRow) -> Iterator[Any]:
        self.count("pages")
        data = json.loads(response.text)
        posts = data.get("post_stream", {}).get("posts", [])
        self.report(
            thread={
                "url": response.url,
                "title": data.get("title"),
                "markup": "discourse JSON API",
                "posts": len(posts),
                "authors": sum(1 for p in posts if p.get("username")),
                "dates": sum(1 for p in posts if p.get("created_at")),
                "texts": sum(1 for p in posts if p.get("cooked")),
                "date_rules": {"ISO with offset": sum(1 for p in posts if p.get("created_at"))},
                "zone": None,
                "next_page": None,
                "selectors": {
                    "author": {"post_stream.posts[].username": len(posts)},
                    "iso_time": {"post_stream.posts[].created_at": len(posts)},
                    "body": {"post_stream.posts[].cooked": len(posts)},
                },
                "sample": [
                    {"author": p.get("username"), "published_at": p.get("created_at"),
                     "text": clean_body(p.get("cooked") or "", QUOTES)[:80]}
                    for p in posts[:SAMPLE]
                ],
            }
        )  # fmt: skip
        return iter(())
