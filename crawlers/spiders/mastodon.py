"""Mastodon: hashtag timelines and status search on one instance (public API, optional token).

`GET /api/v1/timelines/tag/:hashtag` is paged by its Link header (`rel="next"`, `max_id`);
the next run asks `since_id` = the newest status seen. `GET /api/v2/search?type=statuses`
is paged by `max_id`; full-text status search needs a user token on most instances.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from scrapy import Request
from scrapy.http import Response

from crawlers.api import ApiSpider, link_next
from crawlers.networks import iso, newer
from crawlers.networks.mastodon import map_status, skip_reason


class MastodonSpider(ApiSpider):
    name = "mastodon"
    source_kind = "mastodon"
    network = "Mastodon"

    def auth_headers(self) -> dict[str, str]:
        token = self.secret(self.options.token_env)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def first_requests(self) -> Iterable[Request]:
        options = self.options
        for tag in options.hashtags:
            stream = f"tag:{tag.lower()}"
            known = self.known(stream)
            yield self.api_request(
                f"{self.base}/api/v1/timelines/tag/{quote(tag)}",
                self.parse_page,
                params={
                    "limit": options.page_size,
                    "local": "true" if options.local_only else None,
                    "since_id": known.last_post_id if known else None,
                },
                cb_kwargs={"stream": stream, "what": f"the #{tag} timeline"},
            )
        if options.queries and not self.secret(options.token_env):
            self.report_error(
                f"{self.source.name}: Mastodon searches statuses only for a logged-in user: set "
                f"the environment variable {options.token_env} to an access token with the "
                f"read:search scope to search {', '.join(map(repr, options.queries))} (the "
                "hashtag timelines are read without one)"
            )
            return
        for query in options.queries:
            stream = f"search:{query}"
            yield self.search_request(query, stream, None)

    def search_request(self, query: str, stream: str, max_id: str | None) -> Request:
        return self.api_request(
            f"{self.base}/api/v2/search",
            self.parse_page,
            params={
                "q": query,
                "type": "statuses",
                "limit": self.options.page_size,
                "max_id": max_id,
            },
            cb_kwargs={"stream": stream, "what": f"the search {query!r}", "query": query},
        )

    def credential_advice(self) -> str:
        return (
            f"the instance refused the access token in {self.options.token_env} (expired or "
            "revoked?); set a valid token there, or unset it to read public timelines"
        )

    def parse_page(
        self,
        response: Response,
        stream: str,
        what: str,
        query: str | None = None,
        page: int = 1,
        newest: tuple[str, str | None] | None = None,
        seen: int = 0,
    ) -> Iterator[Any]:
        data = yield from self.read(response, what)
        if data is None:
            return
        statuses = data.get("statuses", []) if isinstance(data, dict) else data
        if not isinstance(statuses, list):
            self.report_error(f"{self.source.name}: {what}: Mastodon answered no list of statuses")
            return
        known = self.known(stream)
        since = known.last_post_id if known else None
        stop = False
        for status in statuses:
            sid = str(status.get("id", ""))
            if since is not None and not newer(sid, since):
                stop = True  # seen by an earlier run: so is everything older
                continue
            created = iso(status.get("created_at"))
            if created is not None and created < self.cutoff:
                stop = True
                continue
            if newest is None or newer(sid, newest[0]):
                newest = (sid, status.get("created_at"))
            seen += 1
            reason = skip_reason(status)
            if reason:
                self.skip(reason)
                continue
            yield map_status(status, self.source.name, self.base)
        next_url = None
        if not stop and statuses:
            if query is not None:
                if len(statuses) >= self.options.page_size:
                    next_url = self.search_request(query, stream, str(statuses[-1]["id"]))
            else:
                link = link_next(response.headers.get("Link"))
                if link:
                    next_url = self.api_request(
                        link,
                        self.parse_page,
                        cb_kwargs={"stream": stream, "what": what},
                    )
        if next_url is not None and page < self.options.max_pages:
            next_url.cb_kwargs.update(page=page + 1, newest=newest, seen=seen)
            yield next_url
            return
        if next_url is not None:
            self.count("streams_truncated")
            self.logger.info("%s: %s: stopped after %d pages", self.source.name, what, page)
        yield self.stream_done(
            stream,
            response.url,
            newest[0] if newest else None,
            iso(newest[1]) if newest else None,
            seen,
            title=what,
        )
