"""Reddit through its official API: subreddit listings and searches, and the comments of the
posts about a brand.

An application-only OAuth token (client credentials, `POST /api/v1/access_token` with the
client id and secret as HTTP Basic) authorises every call to `oauth.reddit.com`; a refused
token is renewed once. Listings (`/r/SUB/new`, `/search?sort=new`) are paged by `after` and
read newest first down to the newest post seen by the last run, or the look-back. A post's
comments (`/r/SUB/comments/ID`) are read when it names a brand and has more comments than
when they were last read.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from scrapy import Request
from scrapy.http import Response

from crawlers.api import ApiSpider
from crawlers.networks import unix
from crawlers.networks.reddit import map_comment, map_post, skip_reason, walk_comments

COMMENT_LIMIT = 500  # comments asked per post (the API's most)


class RedditSpider(ApiSpider):
    name = "reddit"
    source_kind = "reddit"
    network = "Reddit"

    def __init__(self, source: str, *args: Any, now: str | None = None, **kwargs: Any) -> None:
        super().__init__(source, *args, now=now, **kwargs)
        self.token: str | None = None
        self.commented: set[str] = set()
        self._matcher: Any = None

    # -- the token ------------------------------------------------------------------------------
    def auth_headers(self) -> dict[str, str]:
        headers = {"Authorization": f"bearer {self.token}"} if self.token else {}
        if self.options.user_agent:  # Reddit's own format, naming the app and its owner
            headers["User-Agent"] = str(self.options.user_agent)
        return headers

    def token_request(self, retry: list[Request]) -> Request | None:
        secrets = self.need_secrets("client_id_env", "client_secret_env")
        if secrets is None:
            return None
        basic = f"{secrets['client_id_env']}:{secrets['client_secret_env']}"
        return self.api_request(
            str(self.options.auth_url),
            self.got_token,
            method="POST",
            headers={
                "Authorization": "Basic " + base64.b64encode(basic.encode()).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
                **({"User-Agent": self.options.user_agent} if self.options.user_agent else {}),
            },
            body="grant_type=client_credentials",
            cb_kwargs={"retry": retry},
            authorised=False,
        )

    def got_token(self, response: Response, retry: list[Request]) -> Iterator[Any]:
        data = yield from self.read(response, "the token request (client credentials)")
        if not isinstance(data, dict) or not data.get("access_token"):
            if isinstance(data, dict):  # 200 with {"error": "invalid_grant"}…
                self.report_error(
                    f"{self.source.name}: Reddit gave no token ({data.get('error')}): "
                    f"{self.credential_advice()}",
                    broken=True,
                )
            return
        self.token = str(data["access_token"])
        if retry:
            for request in retry:
                again = request.replace()
                again.headers.update(self.auth_headers())
                yield again
            return
        yield from self.listings()

    def credential_advice(self) -> str:
        o = self.options
        return (
            f"Reddit refused the application's credentials: check {o.client_id_env} and "
            f"{o.client_secret_env} (a 'script' or 'web' app's id and secret, "
            "reddit.com/prefs/apps)"
        )

    def forbidden_advice(self, data: Any) -> str:
        reason = data.get("reason") if isinstance(data, dict) else None
        if reason:
            return f"the subreddit is {reason}; remove it from the source's subreddits"
        return "access is refused (a private or banned subreddit?); check the source's options"

    def on_error(self, response: Response, data: Any, what: str) -> Iterator[Any]:
        if response.status == 401 and self.token is not None and self.relogins < 1:
            self.relogins += 1  # the token expired (they last a day): a new one, once
            assert response.request is not None
            renew = self.token_request([response.request])
            if renew is not None:
                yield renew
                return
        yield from super().on_error(response, data, what)

    # -- listings -------------------------------------------------------------------------------
    def first_requests(self) -> Iterable[Request]:
        request = self.token_request([])
        if request is not None:
            yield request

    def listings(self) -> Iterator[Request]:
        options = self.options
        for sub in options.subreddits:
            yield self.listing_request(f"/r/{sub}/new", {}, f"r/{sub}:new", f"r/{sub}")
        for query in options.queries:
            params = {"q": query, "sort": "new", "t": "all", "type": "link"}
            if options.search_in_subreddits and options.subreddits:
                for sub in options.subreddits:
                    yield self.listing_request(
                        f"/r/{sub}/search",
                        {**params, "restrict_sr": "1"},
                        f"r/{sub}:search:{query}",
                        f"the search {query!r} in r/{sub}",
                    )
            else:
                yield self.listing_request(
                    "/search", params, f"search:{query}", f"the search {query!r}"
                )

    def listing_request(
        self,
        path: str,
        params: dict[str, str],
        stream: str,
        what: str,
        after: str | None = None,
    ) -> Request:
        return self.api_request(
            self.base + quote(path),
            self.parse_listing,
            params={**params, "limit": self.options.page_size, "raw_json": "1", "after": after},
            cb_kwargs={"path": path, "params": params, "stream": stream, "what": what},
        )

    @property
    def matcher(self) -> Any:
        if self._matcher is None:
            from nlp.brands import BrandMatcher

            self._matcher = BrandMatcher.from_brands(self.veille.brands)
        return self._matcher

    def about_a_brand(self, data: dict[str, Any]) -> bool:
        from nlp.brands import MatchDoc

        doc = MatchDoc(text=str(data.get("selftext") or ""), title=data.get("title"))
        return bool(self.matcher.match(doc))

    def parse_listing(
        self,
        response: Response,
        path: str,
        params: dict[str, str],
        stream: str,
        what: str,
        page: int = 1,
        newest: tuple[str, float] | None = None,
        seen: int = 0,
    ) -> Iterator[Any]:
        data = yield from self.read(response, what)
        if not isinstance(data, dict):
            return
        listing = data.get("data") or {}
        known = self.known(stream)
        stop = False
        for child in listing.get("children") or []:
            post = child.get("data") or {}
            if child.get("kind") != "t3" or not post.get("name"):
                continue
            created = unix(post.get("created_utc"))
            if known is not None and (
                post["name"] == known.last_post_id
                or (created and known.last_post_at and created < known.last_post_at)
            ):
                stop = True  # read by an earlier run; its comments may have grown
                yield from self.comments_if_grown(post)
                continue
            if created is not None and created < self.cutoff:
                stop = True
                continue
            if newest is None or float(post.get("created_utc") or 0) > newest[1]:
                newest = (post["name"], float(post.get("created_utc") or 0))
            seen += 1
            reason = skip_reason(post)
            if reason:
                self.skip(reason)
                continue
            yield map_post(post, self.source.name)
            yield from self.comments_if_grown(post)
        after = listing.get("after")
        if after and not stop and page < self.options.max_pages:
            request = self.listing_request(path, params, stream, what, after=str(after))
            request.cb_kwargs.update(page=page + 1, newest=newest, seen=seen)
            yield request
            return
        if after and not stop:
            self.count("streams_truncated")
        yield self.stream_done(
            stream,
            response.url,
            newest[0] if newest else None,
            unix(newest[1]) if newest else None,
            seen,
            title=what,
        )

    # -- comments -------------------------------------------------------------------------------
    def comments_if_grown(self, post: dict[str, Any]) -> Iterator[Request]:
        """The post's comments, when it is about a brand and has comments not read yet."""
        if not self.options.comments or post["name"] in self.commented:
            return
        total = int(post.get("num_comments") or 0)
        state = self.known(f"comments:{post['name']}")
        if total == 0 or (state is not None and state.posts_seen >= total):
            return
        if not self.about_a_brand(post):
            return
        self.commented.add(post["name"])
        yield self.api_request(
            f"{self.base}/r/{quote(str(post.get('subreddit')))}/comments/{post['id']}",
            self.parse_comments,
            params={"limit": COMMENT_LIMIT, "sort": "new", "raw_json": "1"},
            cb_kwargs={"post": post},
        )

    def parse_comments(self, response: Response, post: dict[str, Any]) -> Iterator[Any]:
        data = yield from self.read(response, f"the comments of {post['name']}")
        if not isinstance(data, list) or len(data) < 2:
            return
        comments, left = walk_comments(data[1])
        if left:
            self.count("reddit/comments_not_loaded", left)  # behind "more" links
        for comment in comments:
            reason = skip_reason(comment)
            if reason:
                self.skip(reason)
                continue
            yield map_comment(comment, self.source.name, post)
        yield self.stream_done(
            f"comments:{post['name']}",
            response.url,
            None,
            None,
            int(post.get("num_comments") or 0),
            title=post.get("title"),
        )
