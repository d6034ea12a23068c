"""Bluesky: post search through the AT Protocol (`app.bsky.feed.searchPosts`, cursor-paged).

Anonymous against the public AppView (the source's url) unless an app password is set: then
the account logs in at its PDS (`com.atproto.server.createSession`, access and refresh JWTs),
searches through it, renews an expired access token with `refreshSession`, and logs in again
once if the session is refused. The authors' followers come from `app.bsky.actor.getProfiles`.
The next run asks `since` the newest post seen and stops at it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response

from crawlers.api import ApiSpider
from crawlers.networks import iso
from crawlers.networks.bluesky import map_post, skip_reason, sort_at

PROFILES_PER_CALL = 25  # getProfiles takes at most 25 actors
# Asks the PDS to hand app.bsky.* calls to Bluesky's AppView.
APPVIEW = "did:web:api.bsky.app#bsky_appview"


class BlueskySpider(ApiSpider):
    name = "bluesky"
    source_kind = "bluesky"
    network = "Bluesky"

    def __init__(self, source: str, *args: Any, now: str | None = None, **kwargs: Any) -> None:
        super().__init__(source, *args, now=now, **kwargs)
        self.session: dict[str, Any] | None = None

    # -- the session --------------------------------------------------------------------------
    @property
    def pds(self) -> str:
        return str(self.options.pds_url).rstrip("/")

    def login_secrets(self) -> tuple[str, str] | None:
        options = self.options
        handle, password = self.secret(options.handle_env), self.secret(options.password_env)
        return (handle, password) if handle and password else None

    def auth_headers(self) -> dict[str, str]:
        if self.session is None:
            return {}
        return {"Authorization": f"Bearer {self.session['accessJwt']}", "atproto-proxy": APPVIEW}

    def login_request(self, retry: list[Request]) -> Request:
        secrets = self.login_secrets()
        assert secrets is not None
        return self.api_request(
            f"{self.pds}/xrpc/com.atproto.server.createSession",
            self.logged_in,
            method="POST",
            headers={"Content-Type": "application/json"},
            body=json.dumps({"identifier": secrets[0], "password": secrets[1]}),
            cb_kwargs={"retry": retry, "what": "the login (createSession)"},
            authorised=False,
        )

    def refresh_request(self, retry: list[Request]) -> Request:
        assert self.session is not None
        return self.api_request(
            f"{self.pds}/xrpc/com.atproto.server.refreshSession",
            self.logged_in,
            method="POST",
            headers={"Authorization": f"Bearer {self.session['refreshJwt']}"},
            cb_kwargs={"retry": retry, "what": "the session renewal (refreshSession)"},
            authorised=False,
        )

    def logged_in(self, response: Response, retry: list[Request], what: str) -> Iterator[Any]:
        data = yield from self.read(response, what)
        if not isinstance(data, dict) or not data.get("accessJwt"):
            return
        self.session = data
        if retry:
            for request in retry:
                again = request.replace()
                again.headers.update(self.auth_headers())
                yield again
            return
        yield from self.searches()

    # -- searching ----------------------------------------------------------------------------
    def first_requests(self) -> Iterable[Request]:
        if self.login_secrets() is not None:
            yield self.login_request([])
        else:
            yield from self.searches()

    def searches(self) -> Iterator[Request]:
        for query in self.options.queries:
            yield self.search_request(query, None)

    def search_request(self, query: str, cursor: str | None) -> Request:
        options = self.options
        stream = f"search:{query}"
        known = self.known(stream)
        since = None
        if known is not None and known.last_post_at is not None:
            since = known.last_post_at.isoformat().replace("+00:00", "Z")
        where = self.pds if self.session is not None else self.base
        return self.api_request(
            f"{where}/xrpc/app.bsky.feed.searchPosts",
            self.parse_page,
            params={
                "q": query,
                "sort": options.sort,
                "since": since,
                "lang": options.lang,
                "limit": options.page_size,
                "cursor": cursor,
            },
            cb_kwargs={"query": query, "stream": stream},
        )

    def parse_page(
        self,
        response: Response,
        query: str,
        stream: str,
        page: int = 1,
        newest: tuple[str, str] | None = None,
        seen: int = 0,
    ) -> Iterator[Any]:
        data = yield from self.read(response, f"the search {query!r}")
        if not isinstance(data, dict):
            return
        known = self.known(stream)
        stop = False
        kept = []
        for post in data.get("posts") or []:
            when = sort_at(post)
            moment = iso(when)
            if known is not None and (
                post.get("uri") == known.last_post_id
                or (moment and known.last_post_at and moment < known.last_post_at)
            ):
                stop = True  # seen by an earlier run
                continue
            created = iso((post.get("record") or {}).get("createdAt")) or moment
            if created is not None and created < self.cutoff:
                stop = True
                continue
            if when and moment and (newest is None or moment > (iso(newest[1]) or moment)):
                newest = (str(post.get("uri")), when)
            seen += 1
            reason = skip_reason(post)
            if reason:
                self.skip(reason)
                continue
            kept.append(post)
        cursor = data.get("cursor")
        follow = None
        if cursor and not stop and data.get("posts"):
            if page < self.options.max_pages:
                follow = self.search_request(query, str(cursor))
                follow.cb_kwargs.update(page=page + 1, newest=newest, seen=seen)
            else:
                self.count("streams_truncated")
        done = None
        if follow is None:
            done = self.stream_done(
                stream,
                response.url,
                newest[0] if newest else None,
                iso(newest[1]) if newest else None,
                seen,
                title=f"the search {query!r}",
            )
        yield from self.with_profiles(kept, {}, [r for r in (follow, done) if r is not None])

    def with_profiles(
        self, posts: list[dict[str, Any]], profiles: dict[str, Any], then: list[Any]
    ) -> Iterator[Any]:
        """The posts as mentions with their authors' profiles (getProfiles, 25 at a time),
        then `then` (the next page, or the stream's state once every mention is out)."""
        wanted = [
            did
            for did in dict.fromkeys(str((p.get("author") or {}).get("did")) for p in posts)
            if did not in profiles
        ]
        if self.options.author_profiles and wanted:
            batch = wanted[:PROFILES_PER_CALL]
            yield self.api_request(
                f"{self.pds if self.session is not None else self.base}"
                "/xrpc/app.bsky.actor.getProfiles",
                self.parse_profiles,
                params=[("actors", did) for did in batch],
                cb_kwargs={"posts": posts, "profiles": profiles, "then": then, "asked": batch},
            )
            return
        for post in posts:
            did = str((post.get("author") or {}).get("did"))
            yield map_post(post, self.source.name, profiles.get(did))
        yield from then

    def parse_profiles(
        self,
        response: Response,
        posts: list[dict[str, Any]],
        profiles: dict[str, Any],
        then: list[Any],
        asked: list[str],
    ) -> Iterator[Any]:
        data = yield from self.read(response, "the authors' profiles (getProfiles)")
        for profile in (data or {}).get("profiles") or []:
            profiles[str(profile.get("did"))] = profile
        for did in asked:  # asked once, found or not (a deleted account, an error)
            profiles.setdefault(did, None)
        yield from self.with_profiles(posts, profiles, then)

    # -- errors -------------------------------------------------------------------------------
    def on_error(self, response: Response, data: Any, what: str) -> Iterator[Any]:
        error = data.get("error") if isinstance(data, dict) else None
        request = response.request
        assert request is not None
        logging_in = "createSession" in response.url or "refreshSession" in response.url
        if self.session is not None and not logging_in:
            if response.status == 400 and error == "ExpiredToken":
                self.count("bluesky/refreshed")
                yield self.refresh_request([request])
                return
            if response.status == 401 and self.relogins < 1:
                self.relogins += 1
                yield self.login_request([request])
                return
        if "refreshSession" in response.url and self.relogins < 1:
            self.relogins += 1  # the refresh token expired too: a new session
            yield self.login_request(list(request.cb_kwargs.get("retry", [])))
            return
        yield from super().on_error(response, data, what)

    def credential_advice(self) -> str:
        options = self.options
        if self.login_secrets() is None:
            return (
                "this AppView does not answer anonymous searches: set the environment "
                f"variables {options.handle_env} (the account's handle) and "
                f"{options.password_env} (an app password: Settings, Privacy and security, "
                "App passwords)"
            )
        return (
            f"the login was refused: check {options.handle_env} and {options.password_env} "
            "(an app password, not the account's password)"
        )

    def forbidden_advice(self, data: Any) -> str:
        return self.credential_advice()
