"""Discourse, through its JSON API: /latest.json, /t/{id}.json, /t/{id}/posts.json."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urljoin, urlparse

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawlers.dates import ISO_WITH_OFFSET, parse_date
from crawlers.engines.discourse import QUOTES
from crawlers.forum import ForumSpider
from crawlers.items import MentionBatch
from crawlers.posts import ForumPost, ThreadRow, clean_body
from storage.clock import utcnow
from storage.crawl_state import ThreadState

log = logging.getLogger(__name__)
BATCH = 20  # Discourse answers at most about 20 posts per posts.json request


def json_url(base: str, path: str) -> str:
    """`/latest?page=1` -> `{site}/latest.json?page=1`."""
    parsed = urlparse(urljoin(base, path))
    if not parsed.path.endswith(".json"):
        parsed = parsed._replace(path=parsed.path.rstrip("/") + ".json")
    return parsed.geturl()


_PAGES = re.compile(r"/(latest|top|new|categories|c|t|tag|tags|u)(/|\.json|$).*$")


def site_root(url: str) -> str:
    """The forum's base URL (Discourse may live in a sub-folder): `…/forum/c/5` -> `…/forum/`."""
    parsed = urlparse(url)
    path = _PAGES.sub("/", parsed.path)
    path = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    return f"{parsed.scheme}://{parsed.netloc}{path}"


class DiscourseMixin(ForumSpider):
    """The Discourse flow, shared by the discourse spider and the auto-detecting one."""

    def start_discourse(self, response: TextResponse) -> Iterator[Any]:
        yield Request(
            json_url(site_root(str(self.source.url)), "latest"), callback=self.parse_latest
        )

    def parse_latest(self, response: Response) -> Iterator[Any]:
        self.count("pages")
        data = json.loads(response.text)
        root = site_root(str(self.source.url))
        too_old = False
        topics = data.get("topic_list", {}).get("topics", [])
        for topic in topics:
            last = parse_date(topic.get("last_posted_at") or topic.get("bumped_at"))
            row = ThreadRow(
                thread_id=str(topic["id"]),
                url=urljoin(root, f"t/{topic.get('slug', 'topic')}/{topic['id']}"),
                title=topic.get("title"),
                last_post_at=last,
                replies=topic.get("reply_count"),
                sticky=bool(topic.get("pinned")),
            )
            if last is not None and last < self.cutoff:
                too_old = too_old or not row.sticky
                continue
            decision = self.decide(row)
            if decision is None:
                self.count("threads_unchanged")
                continue
            self.count(f"threads_{decision}")
            yield Request(
                urljoin(root, f"t/{topic['id']}.json?include_raw=true"),
                callback=self.parse_topic,
                cb_kwargs={"row": row},
                dont_filter=decision == "resumed",
            )
        more = data.get("topic_list", {}).get("more_topics_url")
        if more and topics and not too_old:
            yield Request(json_url(root, more), callback=self.parse_latest)

    def parse_topic(self, response: Response, row: ThreadRow) -> Iterator[Any]:
        self.count("pages")
        data = json.loads(response.text)
        row.title = data.get("title") or row.title
        state = self.states.get(row.thread_id)
        last_id = state.last_post_id if state else None
        after = int(last_id) if last_id and last_id.isdigit() else 0
        stream = data.get("post_stream", {})
        posts = stream.get("posts", [])
        got = {p["id"] for p in posts}
        rest = [pid for pid in stream.get("stream", []) if pid not in got and pid > after]
        yield from self.topic_posts(response, row, posts, after)
        yield from self.next_batch(response, row, rest, max([after, *got]))

    def parse_posts(
        self, response: Response, row: ThreadRow, rest: list[int], high: int
    ) -> Iterator[Any]:
        self.count("pages")
        data = json.loads(response.text)
        posts = data.get("post_stream", {}).get("posts", [])
        yield from self.topic_posts(response, row, posts, 0)
        yield from self.next_batch(response, row, rest, max([high, *(p["id"] for p in posts)]))

    def next_batch(
        self, response: Response, row: ThreadRow, rest: list[int], high: int
    ) -> Iterator[Any]:
        if rest:
            batch, rest = rest[:BATCH], rest[BATCH:]
            query = urlencode([("post_ids[]", pid) for pid in batch])
            yield Request(
                urljoin(site_root(str(self.source.url)), f"t/{row.thread_id}/posts.json?{query}"),
                callback=self.parse_posts,
                cb_kwargs={"row": row, "rest": rest, "high": high},
            )
            return
        yield ThreadState(
            source=self.source.name,
            thread_id=row.thread_id,
            url=row.url,
            title=row.title,
            last_post_id=str(high) if high else None,
            last_post_at=row.last_post_at,
            last_page=1,
            last_page_url=None,
            last_seen_at=utcnow(),
        )

    def topic_posts(
        self, response: Response, row: ThreadRow, posts: list[dict[str, Any]], after: int
    ) -> Iterator[Any]:
        root = site_root(str(self.source.url))
        remove = (*QUOTES, *self.source.options.get("remove", ()))
        batch = MentionBatch()
        # a reply names the post it answers by its number in the topic
        ids = {p.get("post_number"): str(p["id"]) for p in posts if "id" in p}
        for p in posts:
            if p.get("id", 0) <= after or p.get("hidden") or p.get("deleted_at"):
                continue
            likes = next(
                (a.get("count") for a in p.get("actions_summary", []) if a.get("id") == 2), None
            )
            username = p.get("username")
            post = ForumPost(
                post_id=str(p["id"]),
                url=urljoin(
                    root,
                    f"t/{p.get('topic_slug', 'topic')}/{row.thread_id}/{p.get('post_number', 1)}",
                ),
                author=username,
                author_url=urljoin(root, f"u/{username}") if username else None,
                published_at=parse_date(p.get("created_at")),
                date_text=p.get("created_at"),
                date_rule=ISO_WITH_OFFSET if p.get("created_at") else None,
                body=clean_body(p.get("cooked") or "", remove),
                likes=likes,
                reply_to=ids.get(p["reply_to_post_number"])
                if p.get("reply_to_post_number")
                else None,
                html=p.get("cooked"),
                extra={
                    k: p.get(k)
                    for k in (
                        "post_number",
                        "reply_to_post_number",
                        "reads",
                        "score",
                        "name",
                        "trust_level",
                        "raw",
                    )
                },
            )
            batch.records.append(self.post_mention(post, row, row.title, response.url))
        if batch.records:
            yield batch


class DiscourseSpider(DiscourseMixin):
    name = "discourse"
    source_kind = "discourse"
    engine_name = "discourse"

    def first_requests(self) -> list[Request]:
        return [
            Request(json_url(site_root(str(self.source.url)), "latest"), callback=self.parse_latest)
        ]
